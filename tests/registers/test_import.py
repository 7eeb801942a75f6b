"""Staff import a register from a spreadsheet: a preview of every row with its values or the
reason it is refused, then all rows or none; the template; 撤销 with a reason; only on the
registers of their own site (provincial staff may read every site's)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from registers import services
from registers.models import ImportBatch, RegisterEntry
from tests.helpers import staff_client, url_of

from .helpers import arrears_row, credit_code, csv_upload, id_card, register, table, xlsx_upload

pytestmark = pytest.mark.django_db


def upload(client, page, file, issue="2025年第2期"):
    return client.post(reverse("registers_admin:import", args=[page.pk]), {"file": file, "issue": issue})


def test_a_good_xlsx_is_previewed_then_imported_and_shown():
    page = register("arrears")
    client = staff_client("admin")
    rows = [arrears_row(), arrears_row(**{"纳税人名称": "示例省第二测试有限公司", "纳税人识别号": credit_code(2)})]
    before = RegisterEntry.objects.filter(page=page).count()
    preview = upload(client, page, xlsx_upload("arrears", rows))
    html = preview.content.decode()
    assert preview.status_code == 200 and "全部可以导入" in html and "示例省第二测试有限公司" in html
    assert RegisterEntry.objects.filter(page=page).count() == before  # nothing saved by the preview
    batch = ImportBatch.objects.filter(page=page).latest("created_at")
    done = client.post(reverse("registers_admin:batch", args=[page.pk, batch.pk]), follow=True)
    assert "已导入 2 条记录" in done.content.decode()
    assert RegisterEntry.objects.filter(page=page).count() == before + 2
    batch.refresh_from_db()
    assert batch.status == "imported" and batch.rows == [] and batch.entries.first().issue == "2025年第2期"
    public = staff_client("admin").get(url_of(page) + "?q=示例省第二测试有限公司").content.decode()
    assert "示例省第二测试有限公司" in public
    again = client.post(reverse("registers_admin:batch", args=[page.pk, batch.pk]), follow=True)
    assert "已经处理过了" in again.content.decode()


def test_a_gb18030_csv_is_read():
    page = register("a_grade", "jia")
    rows = [{"纳税人识别号": credit_code(5), "纳税人名称": "甲市测试有限公司", "评价年度": "2024年"}]
    response = upload(
        staff_client("jia_reviewer", "jia.localhost"), page, csv_upload("a_grade", rows, encoding="gb18030")
    )
    assert response.status_code == 200 and "甲市测试有限公司" in response.content.decode()


BAD_ROWS = [
    ({"纳税人名称": ""}, "“纳税人名称”不能为空"),
    ({"纳税人识别号": "91990000MA000012"}, "应为 15、18 或 20 位"),
    ({"纳税人识别号": credit_code(3)[:-1] + ("0" if credit_code(3)[-1] != "0" else "1")}, "校验位不正确"),
    ({"身份证件号码": id_card()[:-1] + ("0" if id_card()[-1] != "0" else "1")}, "不是有效的居民身份证号码"),
    ({"公告日期": "2025-13-45"}, "“公告日期”不是有效日期"),
    ({"公告日期": (date.today() + timedelta(days=30)).isoformat()}, "不能晚于今天"),
    ({"欠税余额（元）": "一万元"}, "“欠税余额（元）”不是金额"),
    ({"欠税余额（元）": "-5"}, "超出范围"),
]


@pytest.mark.parametrize("change,reason", BAD_ROWS)
def test_each_bad_row_is_refused_with_its_reason(change, reason):
    rows = services.parse(register("arrears"), table("arrears", [arrears_row(), arrears_row(**change)]))
    assert rows[0].errors == []
    assert any(reason in error for error in rows[1].errors), rows[1].errors
    assert rows[1].number == 3  # the spreadsheet's row number (the header is row 1)


def test_other_kinds_refuse_their_own_bad_rows():
    violation = {
        "纳税人名称": "示例省失信测试公司",
        "纳税人识别号": credit_code(8),
        "注册地址": "省会市",
        "法定代表人或者负责人姓名": "测某",
        "案件性质": "偷税",
        "主要违法事实": "少缴税款",
        "相关法律依据及税务处理处罚情况": "追缴税款",
        "公布日期": "2025-06-30",
        "公布截止日期": "2025-01-01",
    }
    rows = services.parse(register("violations"), table("violations", [violation]))
    assert "“公布截止日期”早于“公布日期”" in rows[0].errors
    grade = services.parse(
        register("a_grade"), table("a_grade", [{"纳税人识别号": credit_code(8), "纳税人名称": "x", "评价年度": "1999"}])
    )
    assert "“评价年度”不是有效年度" in grade[0].errors[0]


def test_duplicates_in_the_file_and_in_the_register_are_refused():
    page = register("arrears")
    existing = RegisterEntry.objects.filter(page=page).first()
    same_as_existing = arrears_row(
        **{
            "纳税人识别号": existing.taxpayer_number,
            "欠税税种": existing.tax_type,
            "公告日期": existing.published_on.isoformat(),
        }
    )
    rows = services.parse(page, table("arrears", [arrears_row(), arrears_row(), same_as_existing]))
    assert rows[1].errors == ["与第 2 行重复"] and rows[2].errors == ["名录中已有这一条"]


def test_one_bad_row_and_nothing_is_imported():
    page = register("arrears")
    client = staff_client("admin")
    before = RegisterEntry.objects.count()
    response = upload(
        client,
        page,
        xlsx_upload("arrears", [arrears_row(), arrears_row(**{"纳税人名称": "", "纳税人识别号": credit_code(4)})]),
    )
    html = response.content.decode()
    assert response.status_code == 400 and "其中 1 行有错误，整个文件不能导入" in html and "确认导入" not in html
    batch = ImportBatch.objects.filter(page=page).latest("created_at")
    refused = client.post(reverse("registers_admin:batch", args=[page.pk, batch.pk]), follow=True)
    assert "全部未导入" in refused.content.decode()
    assert RegisterEntry.objects.count() == before


def test_rows_imported_by_someone_else_since_the_preview_refuse_the_whole_file():
    page = register("arrears")
    client = staff_client("admin")
    rows = [arrears_row(**{"纳税人识别号": credit_code(11)}), arrears_row(**{"纳税人识别号": credit_code(12)})]
    assert upload(client, page, xlsx_upload("arrears", rows)).status_code == 200
    batch = ImportBatch.objects.filter(page=page).latest("created_at")
    services.import_rows(page, table("arrears", rows[1:]))  # another editor, meanwhile
    before = RegisterEntry.objects.count()
    with pytest.raises(services.Refused):
        services.confirm(batch, None)
    assert RegisterEntry.objects.count() == before


@pytest.mark.parametrize(
    "file,message",
    [
        (None, "请选择要上传的文件"),
        ("wrong.txt", "请上传 XLSX 或 CSV 文件"),
        ("broken.xlsx", "无法读取这个 XLSX 文件"),
        ("header.csv", "第 1 行缺少这些列"),
        ("empty.csv", "除表头外没有数据"),
    ],
)
def test_a_wrong_file_is_refused_with_a_message(file, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = register("arrears")
    files = {
        "wrong.txt": SimpleUploadedFile("wrong.txt", b"hello"),
        "broken.xlsx": SimpleUploadedFile("broken.xlsx", b"PK not a workbook"),
        "header.csv": SimpleUploadedFile("header.csv", "纳税人名称\n某公司\n".encode()),
        "empty.csv": csv_upload("arrears", []),
    }
    data = {"issue": ""} | ({"file": files[file]} if file else {})
    response = staff_client("admin").post(reverse("registers_admin:import", args=[page.pk]), data)
    assert response.status_code == 400 and message in response.content.decode()


def test_the_template_has_the_registers_columns():
    page = register("violations")
    client = staff_client("admin")
    csv = client.get(reverse("registers_admin:template", args=[page.pk, "csv"]))
    assert csv.content.decode("utf-8-sig").startswith("纳税人名称,纳税人识别号,注册地址")
    xlsx = client.get(reverse("registers_admin:template", args=[page.pk, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get(reverse("registers_admin:template", args=[page.pk, "pdf"])).status_code == 404


def test_withdrawing_needs_a_reason_and_takes_the_entry_off_the_public_list():
    page = register("penalties", "jia")
    entry = RegisterEntry.objects.filter(page=page).public().first()
    client = staff_client("jia_reviewer", "jia.localhost")
    url = reverse("registers_admin:withdraw", args=[page.pk, entry.pk])
    refused = client.post(url, {"reason": " "})
    assert refused.status_code == 400 and "请填写撤销原因" in refused.content.decode()
    entry.refresh_from_db()
    assert entry.withdrawn_at is None
    client.post(url, {"reason": "行政复议决定撤销原处罚"})
    entry.refresh_from_db()
    assert entry.withdrawn_at is not None and entry.withdraw_reason == "行政复议决定撤销原处罚"
    assert entry.document_number not in client.get(url_of(page)).content.decode()
    assert client.post(url, {"reason": "再次"}).status_code == 400


def test_city_staff_cannot_touch_another_sites_register():
    main_page, jia_page = register("arrears"), register("arrears", "jia")
    client = staff_client("jia_reviewer", "jia.localhost")
    before = RegisterEntry.objects.count()
    assert upload(client, main_page, xlsx_upload("arrears", [arrears_row()])).status_code == 403
    assert client.get(reverse("registers_admin:register", args=[main_page.pk])).status_code == 403
    entry = RegisterEntry.objects.filter(page=main_page).first()
    assert (
        client.post(reverse("registers_admin:withdraw", args=[main_page.pk, entry.pk]), {"reason": "x"}).status_code
        == 403
    )
    assert (
        RegisterEntry.objects.count() == before
        and not ImportBatch.objects.filter(page=main_page, created_by__username="jia_reviewer").exists()
    )
    index = client.get(reverse("registers_admin:index")).content.decode()
    assert url_of(jia_page) not in index and "甲市" in index
    assert jia_page.title in index and reverse("registers_admin:register", args=[main_page.pk]) not in index
    # An editor of the city reads its registers but may not import (the entries are public at once).
    editor = staff_client("jia_editor", "jia.localhost")
    assert editor.get(reverse("registers_admin:register", args=[jia_page.pk])).status_code == 200
    assert editor.get(reverse("registers_admin:import", args=[jia_page.pk])).status_code == 403


def test_provincial_staff_read_every_sites_registers_and_import_into_their_own():
    client = staff_client("sheng_reviewer")
    jia_page = register("arrears", "jia")
    detail = client.get(reverse("registers_admin:register", args=[jia_page.pk]))
    assert detail.status_code == 200 and "撤销原因" not in detail.content.decode()
    assert upload(client, jia_page, xlsx_upload("arrears", [arrears_row()])).status_code == 403
    assert upload(client, register("arrears"), xlsx_upload("arrears", [arrears_row()])).status_code == 200


def test_staff_see_the_full_identity_numbers_the_public_does_not():
    page = register("arrears")
    entry = RegisterEntry.objects.filter(page=page).exclude(person_id_number="").first()
    staff = staff_client("admin").get(reverse("registers_admin:register", args=[page.pk]) + f"?q={entry.name}")
    assert entry.person_id_number in staff.content.decode()
    assert timezone.localdate()  # (the public side: test_public.py)


def test_previews_left_unconfirmed_are_discarded_with_their_rows_after_a_day():
    from io import StringIO

    from django.core.management import call_command

    page = register("arrears")
    client = staff_client("admin")
    upload(client, page, xlsx_upload("arrears", [arrears_row(**{"纳税人识别号": id_card()})]))
    old = ImportBatch.objects.filter(page=page).latest("created_at")
    ImportBatch.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    upload(client, page, xlsx_upload("arrears", [arrears_row(**{"纳税人名称": "示例省新近测试有限公司"})]))
    recent = ImportBatch.objects.filter(page=page).latest("created_at")
    out = StringIO()
    call_command("discard_import_previews", stdout=out)
    assert "1 import preview(s) discarded." in out.getvalue()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == "discarded" and old.rows == [] and id_card() not in str(old.rows)
    assert recent.status == "preview" and recent.rows  # still waiting for staff
    confirm = client.post(reverse("registers_admin:batch", args=[page.pk, old.pk]), follow=True)
    assert "已经处理过了" in confirm.content.decode()
    assert not RegisterEntry.objects.filter(page=page, batch=old).exists()
