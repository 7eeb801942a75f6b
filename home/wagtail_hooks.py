"""What the home app's pages add to search: 政策文件, 政策解读 and 新闻动态 result types."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from search import types

from .models import ArticlePage, PolicyDocumentPage, PolicyInterpretationPage


@hooks.register(types.REGISTER_HOOK)
def search_result_types():
    return [
        types.ResultType("policy", _("政策文件"), pages=(PolicyDocumentPage,), order=20),
        types.ResultType("interpretation", _("政策解读"), pages=(PolicyInterpretationPage,), order=30),
        types.ResultType("article", _("新闻动态"), pages=(ArticlePage,), order=50, fresh=True),
    ]
