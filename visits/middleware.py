"""``VisitCounterMiddleware``: placed just before ``portal.pagecache.PageCacheMiddleware``, so
pages served from the page cache are counted as well as rendered ones; what counts and how is
in :mod:`visits.counter`. ``VISITS_ENABLED = False`` turns it off (``make bench`` measures
the page cache with and without it)."""

from django.conf import settings

from . import counter


class VisitCounterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        wanted = settings.VISITS_ENABLED and counter.counts_request(request)
        response = self.get_response(request)
        if wanted and counter.counts_response(request, response):
            try:
                counter.record(request)
            except Exception:  # a count is never worth a failed page
                counter.logger.exception("visit counter: a view was not counted")
        return response
