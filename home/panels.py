"""Places on home's pages where other apps show panels (``portal/extensions.py``)."""

HOME_PAGE = "home_page_panels"  # boxes on a site's home page (本月征期 …); ``page`` is the home page
# At the top of an article, a policy or an interpretation, in place of its date line (the
# disclosure catalogue's 信息索引 …); ``page`` is the article.
ARTICLE_META = "home_article_meta"
POLICY_PAGE = "home_policy_page_panels"  # below a policy document or an interpretation (相关在线访谈 …)
# A column and every article directly below it; ``page`` is the column in both places.
COLUMN_HEAD = "home_column_head"  # in the <head> (the column's RSS feed as <link rel="alternate"> …)
COLUMN_LINKS = "home_column_links"  # below the column's listing and the article (订阅本栏目 …)
