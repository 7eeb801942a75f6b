"""The outcome codes of an application's decision, as the national format of the annual report
(国办公开办函〔2021〕30号, table 三) counts them, with the article of the 政府信息公开条例 (2019)
that each rests on (printed on the 告知书)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    DISCLOSED = "disclosed", _("予以公开")
    PARTIAL = "partial", _("部分公开")
    WITHHELD = "withheld", _("不予公开")
    UNAVAILABLE = "unavailable", _("无法提供")
    NOT_PROCESSED = "not_processed", _("不予处理")
    OTHER = "other", _("其他处理")


class Reason(models.TextChoices):
    # 不予公开
    STATE_SECRET = "state_secret", _("属于国家秘密")
    LAW_FORBIDS = "law_forbids", _("其他法律行政法规禁止公开")
    SECURITY = "security", _("危及“三安全一稳定”")
    THIRD_PARTY = "third_party", _("保护第三方合法权益")
    INTERNAL = "internal", _("属于三类内部事务信息")
    PROCESS = "process", _("属于四类过程性信息")
    ENFORCEMENT = "enforcement", _("属于行政执法案卷")
    QUERY = "query", _("属于行政查询事项")
    # 无法提供
    NOT_HELD = "not_held", _("本机关不掌握相关政府信息")
    NEEDS_MAKING = "needs_making", _("没有现成信息需要另行制作")
    UNCLEAR = "unclear", _("补正后申请内容仍不明确")
    # 不予处理
    PETITION = "petition", _("信访举报投诉类申请")
    REPEATED = "repeated", _("重复申请")
    PUBLICATION = "publication", _("要求提供公开出版物")
    EXCESSIVE = "excessive", _("无正当理由大量反复申请")
    CONFIRMATION = "confirmation", _("要求行政机关确认或重新出具已获取信息")
    # 其他处理
    NO_CLARIFICATION = "no_clarification", _("申请人无正当理由逾期不补正，行政机关不再处理其申请")
    NO_FEE = "no_fee", _("申请人逾期未按收费通知要求缴纳费用，行政机关不再处理其申请")
    OTHER = "other", _("其他")


# The reasons each outcome takes, in the format's order; 予以公开 and 部分公开 take none.
REASONS = {
    Outcome.DISCLOSED: (),
    Outcome.PARTIAL: (),
    Outcome.WITHHELD: (
        Reason.STATE_SECRET,
        Reason.LAW_FORBIDS,
        Reason.SECURITY,
        Reason.THIRD_PARTY,
        Reason.INTERNAL,
        Reason.PROCESS,
        Reason.ENFORCEMENT,
        Reason.QUERY,
    ),
    Outcome.UNAVAILABLE: (Reason.NOT_HELD, Reason.NEEDS_MAKING, Reason.UNCLEAR),
    Outcome.NOT_PROCESSED: (
        Reason.PETITION,
        Reason.REPEATED,
        Reason.PUBLICATION,
        Reason.EXCESSIVE,
        Reason.CONFIRMATION,
    ),
    Outcome.OTHER: (Reason.NO_CLARIFICATION, Reason.NO_FEE, Reason.OTHER),
}

# 《中华人民共和国政府信息公开条例》: the articles a decision cites.
BASIS = {
    Outcome.DISCLOSED: "第三十六条第（二）项",
    Outcome.PARTIAL: "第三十七条",
    Reason.STATE_SECRET: "第十四条、第三十六条第（三）项",
    Reason.LAW_FORBIDS: "第十四条、第三十六条第（三）项",
    Reason.SECURITY: "第十四条、第三十六条第（三）项",
    Reason.THIRD_PARTY: "第十五条、第三十二条、第三十六条第（三）项",
    Reason.INTERNAL: "第十六条第一款、第三十六条第（三）项",
    Reason.PROCESS: "第十六条第二款、第三十六条第（三）项",
    Reason.ENFORCEMENT: "第十六条第二款、第三十六条第（三）项",
    Reason.QUERY: "第三十六条第（七）项",
    Reason.NOT_HELD: "第三十六条第（四）项、第（五）项",
    Reason.NEEDS_MAKING: "第三十八条",
    Reason.UNCLEAR: "第三十条",
    Reason.PETITION: "第三十九条第一款",
    Reason.REPEATED: "第三十六条第（六）项",
    Reason.PUBLICATION: "第三十九条第二款",
    Reason.EXCESSIVE: "第三十五条",
    Reason.CONFIRMATION: "第三十九条",
    Reason.NO_CLARIFICATION: "第三十条",
    Reason.NO_FEE: "第四十二条",
}


def reasons_for(outcome: str) -> tuple[str, ...]:
    return REASONS.get(outcome, ())


def basis(outcome: str, reason: str = "") -> str:
    """The articles the decision rests on ("" for 其他 with no article)."""
    return BASIS.get(reason) or BASIS.get(outcome, "")
