"""Wagtail's Elasticsearch 9 backend with the portal's index settings (``search/es.py``).

Settings name this module when ``ELASTICSEARCH_URL`` is set, so the settings never import
the search app: ``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.elasticsearch",
"URLS": [...]}}``. An ``INDEX_SETTINGS`` given there is used instead of the portal's (and,
like the portal's, merged by Wagtail over its own)."""

from modelsearch.backends.elasticsearch9 import Elasticsearch9SearchBackend

from .es import INDEX_SETTINGS


class SearchBackend(Elasticsearch9SearchBackend):
    def __init__(self, params):
        super().__init__({"INDEX_SETTINGS": INDEX_SETTINGS, **params})
