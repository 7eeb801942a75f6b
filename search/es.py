"""Elasticsearch index settings for segmented Chinese text (used when ELASTICSEARCH_URL is set).

Text reaches the index already segmented by jieba, words separated by spaces
(``search/text.py``). Elasticsearch's ``standard`` tokenizer would cut Chinese into single
characters, so every text field, including Wagtail's catch-all ``_all_text`` fields, uses
``portal_words``: split on whitespace, then lower-case and fold accents. It needs no Chinese
plugin (IK, smartcn); with one installed nothing changes, since the words are already cut.
Queries are segmented the same way before they reach Elasticsearch.

Used by ``search/elasticsearch.py``, the backend the settings name.
"""

ANALYZER = "portal_words"

INDEX_SETTINGS = {
    "settings": {
        "analysis": {
            "analyzer": {
                ANALYZER: {
                    "type": "custom",
                    "tokenizer": "whitespace",
                    "filter": ["lowercase", "asciifolding"],
                },
                # Fields without their own analyzer (Wagtail's _all_text copies) use this one.
                "default": {
                    "type": "custom",
                    "tokenizer": "whitespace",
                    "filter": ["lowercase", "asciifolding"],
                },
            }
        }
    }
}

FIELD_MAPPING = {"analyzer": ANALYZER, "search_analyzer": ANALYZER}
