"""依申请公开 decisions under concurrency, on PostgreSQL: two staff processes answer the same
application at the same moment (each the step the other does not expect); the row lock lets
exactly one through, the other is refused, and the applicant gets one decision, not two."""

import subprocess
import time

import pytest

from tests.faults.conftest import PYTHON, ROOT

pytestmark = pytest.mark.faults

CREATE = """
from wagtail.models import Site
from inforequests import services
from inforequests.models import ApplicationPage
site = Site.objects.get(is_default_site=True)
page = ApplicationPage.objects.descendant_of(site.root_page).get()
data = dict(applicant_type="person", name="并发测试", id_type="passport", id_number="E99999999",
            phone="13900000000", email="race@example.com", info_title="并发答复测试",
            info_description="两个办理人员同时答复同一件申请。", delivery="email")
application, _ = services.submit(page, site, data, [], "zh-hans")
services.register(application, None)
print(application.pk)
"""
DECIDE = """
import time
from django.core.exceptions import ValidationError
from inforequests import services
from inforequests.models import Application
application = Application.objects.get(pk={pk})
time.sleep(max(0, {start} - time.time()))
try:
    services.decide(application, None, "{outcome}", "{reason}", "答复（{outcome}）")
    print("decided")
except ValidationError as error:
    print("refused", error.messages)
"""


def run(env, script):
    return subprocess.Popen(
        [PYTHON, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_staff_answering_at_once_make_one_decision(production_env, postgres_db, report):
    creator = run(production_env, CREATE)
    out, errors = creator.communicate(timeout=300)
    assert creator.returncode == 0, errors[-3000:]
    pk = int(out.strip().splitlines()[-1])
    start = time.time() + 8  # both processes set up (Django, the row) before the common moment
    workers = [
        run(production_env, DECIDE.format(pk=pk, start=start, outcome=outcome, reason=reason))
        for outcome, reason in (("disclosed", ""), ("withheld", "process"))
    ]
    results = []
    for worker in workers:
        out, errors = worker.communicate(timeout=300)
        assert worker.returncode == 0, errors[-3000:]
        results.append(out.strip().splitlines()[-1])
    decided = [line for line in results if line == "decided"]
    outcome, events = postgres_db.query(
        "SELECT a.outcome, (SELECT count(*) FROM inforequests_applicationevent e "
        "WHERE e.application_id = a.id AND e.action = 'decided') FROM inforequests_application a WHERE a.id = %s",
        [pk],
    )[0]
    mails = postgres_db.value(
        'SELECT count(*) FROM post_office_email WHERE "to" LIKE %s AND subject LIKE %s',
        ["%race@example.com%", "%已答复%"],
    )
    report(f"依申请公开: two decisions at once → {results}; outcome {outcome}, {events} decision step, {mails} mail")
    assert len(decided) == 1 and any(line.startswith("refused") for line in results)
    assert events == 1 and mails == 1 and outcome in ("disclosed", "withheld")
