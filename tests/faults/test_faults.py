"""Faults of the real stack: one gunicorn (production settings, 2 workers) on PostgreSQL, Redis
and an SMTP server, each of which a test breaks while requests run. Every test prints what it
measured (requests served, failures, seconds to recover, letters and mails lost)."""

import os
import signal
import socket
import time
import urllib.parse

import pytest

from tests.faults.conftest import Traffic, letter_form, manage, send_letter, write_letter

pytestmark = pytest.mark.faults

STAFF = ("sheng_editor", "demo-sheng-editor-2026")


@pytest.fixture(scope="module")
def app(gunicorn_app):
    return gunicorn_app("faults")


def assert_each_letter_exactly_once(db, traffic, report):
    """Every letter whose writer saw the sent page (code and password) is in the database once;
    of those that got no sent page, say how many were saved anyway."""
    confirmed = traffic.confirmed_letters()
    counts = db.letters_by_code([letter.code for letter in confirmed])
    lost = [letter.code for letter in confirmed if counts.get(letter.code, 0) == 0]
    doubled = [code for code, count in counts.items() if count > 1]
    unconfirmed = traffic.unconfirmed_letters()
    saved_anyway = sum(db.letters_with_subject(attempt.subject) for attempt in unconfirmed)
    report(
        f"letters: {len(confirmed)} confirmed to their writers, lost {len(lost)}, doubled {len(doubled)}; "
        f"{len(unconfirmed)} POSTs failed, of which {saved_anyway} saved anyway"
    )
    assert not lost and not doubled
    for attempt in unconfirmed:
        assert db.letters_with_subject(attempt.subject) <= 1


def test_a_letter_is_answered_at_once_while_the_mail_server_hangs_and_its_mail_goes_out_later(
    app, postgres_db, smtp_server, production_env, report
):
    """The SMTP server accepts connections and never answers. The letter is saved and its
    writer gets code and password within a few seconds; the mail waits in the outbox and goes
    out when a working server is back and ``send_queued_mail`` runs."""
    smtp_server.hang()
    try:
        attempt = write_letter(app.visitor(), postgres_db, timeout=15)
    finally:
        smtp_server.serve()  # also frees whatever still waits on the hung server
    report(f"letter POST with a hung SMTP server: {attempt.status} after {attempt.seconds:.2f} s {attempt.notes}")
    assert attempt.sent is not None, "no sent page: the POST waited on the mail server"
    assert attempt.seconds < 5
    assert postgres_db.letters_by_code([attempt.sent.code]) == {attempt.sent.code: 1}

    started = time.monotonic()
    for _ in range(5):  # a sender running elsewhere on the machine holds the lock: run it again
        manage(production_env, "send_queued_mail", timeout=60)
        mails = smtp_server.to(attempt.sent.email)
        if mails:
            break
        time.sleep(1)
    report(
        f"send_queued_mail after the server is back: {len(mails)} mail to the writer "
        f"in {time.monotonic() - started:.1f} s"
    )
    assert [mail.subject for mail in mails] == [f"来信已收到：{attempt.subject}"]
    assert attempt.sent.code in mails[0].body and attempt.sent.password not in mails[0].body
    staff = [mail for mail in smtp_server.messages if mail.subject == f"新来信：{attempt.subject}"]
    assert len(staff) == 1  # the handling department's notice too, once
    report("mails lost: 0")


def test_redis_stops_during_traffic(app, postgres_db, redis_server, report):
    """Pages go on (uncached), staff log in, the letter form refuses politely with what was
    typed (503) and saves nothing; when Redis is back the page cache serves again, no restart."""
    try:
        with Traffic(app, postgres_db) as traffic:
            time.sleep(2)
            report(f"before: {traffic.summary(traffic.hits)}, {sum(h.cache == 'hit' for h in traffic.hits)} cache hits")
            stopped = time.monotonic()
            redis_server.stop()

            time.sleep(0.5)
            staff = app.visitor()
            login = staff.log_in(*STAFF)
            dashboard = staff.get("/admin/")
            visitor = app.visitor()
            page = visitor.get("/hdjl/zxxx/")
            form = page.form(action="/hdjl/zxxx/")
            subject = "缓存故障时写的来信"
            form.update({"name": "故障测试", "phone": "13900001234", "subject": subject, "content": "内容" * 10})
            form.update({"captcha_1": postgres_db.captcha_answer(form["captcha_0"])})
            form["category"] = form.first_choice("category")
            refused = visitor.post("/hdjl/zxxx/", form.data)
            time.sleep(max(0.0, 5 - (time.monotonic() - stopped)))

            restarted = time.monotonic()
            redis_server.start()
            probe = app.visitor()
            while time.monotonic() - restarted < 20:
                if probe.get("/gzdt/").cache == "hit":
                    break
                time.sleep(0.1)
            recovered = time.monotonic() - restarted
            after = probe.get("/gzdt/")
            time.sleep(1)
    finally:
        redis_server.start()

    down = traffic.started_between(stopped, restarted)
    report(
        f"Redis down {restarted - stopped:.1f} s: {traffic.summary(down)}, {sum(h.cache == 'hit' for h in down)} hits"
    )
    report(f"staff login {login.status} -> {login.location}, dashboard {dashboard.status}")
    report(f"letter form: {refused.status} in {refused.seconds:.2f} s, typed subject kept: {subject in refused.text}")
    report(f"page cache serving again {recovered:.1f} s after Redis restarted (no gunicorn restart)")
    report(f"after: {traffic.summary(traffic.between(restarted))}")
    assert not traffic.failures(down)
    assert all(hit.cache != "hit" for hit in down)
    assert max(hit.seconds for hit in down) < 2
    assert login.status == 302 and login.location == "/admin/" and dashboard.status == 200
    assert refused.status == 503 and refused.headers.get("Retry-After") == "60"
    assert "暂时无法提交" in refused.text and f'value="{subject}"' in refused.text
    assert postgres_db.letters_with_subject(subject) == 0
    assert after.cache == "hit" and recovered < 5
    # and letters are taken again
    assert write_letter(app.visitor(), postgres_db).sent is not None


def test_postgresql_drops_every_connection_during_traffic(app, postgres_db, report):
    """Requests in flight may fail (the 500 page), the next ones succeed; every letter whose
    writer saw its sent page exists exactly once."""
    with Traffic(app, postgres_db, letters=True) as traffic:
        time.sleep(2)
        fault = time.monotonic()
        dropped = postgres_db.terminate_connections()
        time.sleep(4)
    during = traffic.between(fault, fault + 4)
    recovered = traffic.recovered_at(fault)
    report(f"{dropped} connections terminated; next 4 s: {traffic.summary(during)}")
    report(f"seconds from the fault to the last failure's next success: {recovered:.2f}")
    assert recovered < 2
    assert not traffic.failures(traffic.between(fault + 2))
    assert_each_letter_exactly_once(postgres_db, traffic, report)


def test_a_worker_killed_mid_request_is_replaced_and_nothing_is_lost(app, postgres_db, report):
    """``kill -9`` on the worker that is reading a letter's POST (half its body sent): that
    writer's connection breaks and nothing is saved; they send it again and it is saved once;
    gunicorn starts a new worker; the other requests go on."""
    writer = app.visitor()
    data, subject, address = letter_form(writer, postgres_db)
    body = urllib.parse.urlencode(data).encode()
    cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in writer.cookies)
    head = (
        f"POST /hdjl/zxxx/ HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: {writer.forwarded_for}\r\n"
        f"Cookie: {cookies}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    with Traffic(app, postgres_db, letters=True) as traffic:
        time.sleep(2)
        with socket.create_connection(("127.0.0.1", app.port), timeout=10) as connection:
            connection.sendall(head + body[: len(body) // 2])
            victim = None
            while victim is None and time.monotonic() - traffic.began < 30:
                victim = app.worker_holding(connection.getsockname()[1])
            assert victim is not None, "no worker took the connection"
            fault = time.monotonic()
            os.kill(victim, signal.SIGKILL)
            try:
                answer = connection.recv(1024)
            except OSError as exc:
                answer = type(exc).__name__
        replaced = None
        while time.monotonic() - fault < 15:
            workers = app.worker_pids()
            if len(workers) == 2 and victim not in workers:
                replaced = time.monotonic() - fault
                break
            time.sleep(0.05)
        again = send_letter(writer, data, subject, address)
        time.sleep(max(0.0, 4 - (time.monotonic() - fault)))
    during = traffic.between(fault, fault + 4)
    report(f"worker {victim} killed (SIGKILL) while reading a letter's POST: the writer got {answer!r}")
    report(f"replaced by gunicorn after {replaced:.2f} s" if replaced is not None else "never replaced")
    report(f"next 4 s: {traffic.summary(during)}; recovered {traffic.recovered_at(fault):.2f} s after the kill")
    report(f"the writer sent it again: {again.status}, sent page {'yes' if again.sent else 'no'}")
    assert answer in (b"", "ConnectionResetError")
    assert replaced is not None and replaced < 10
    assert again.sent is not None and postgres_db.letters_with_subject(subject) == 1
    assert not traffic.failures(traffic.between(fault + 1))
    assert_each_letter_exactly_once(postgres_db, traffic, report)
