"""Places on the search page where other apps show panels (``portal/extensions.py``)."""

NO_RESULTS = "search_no_results_panels"  # under a search that found nothing; ``page`` is the site's home
