"""Date formats per language (``FORMAT_MODULE_PATH``). Templates show dates with the named
formats ``SHORT_DATE_FORMAT`` and ``SHORT_DATETIME_FORMAT``: 2026-08-20 on Chinese pages, as
the national web page norms write them, and 20 Aug 2026 on English ones."""
