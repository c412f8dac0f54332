"""Smoke test of a running deployment (scripts/deploy_rehearsal.sh): every role logs in through the login form
and opens its home page, the public verifies a certificate, an officer revokes one and the Celery worker, not the
web process, renders its new PDF, which then downloads with "ĐÃ THU HỒI" on it.

Requests go as nginx passes them on: X-Forwarded-Proto https (production sends Secure cookies, kept here by
hand since the rehearsal speaks plain HTTP) and X-Forwarded-For with the client's address. The script reads the
database (same settings as the server) only to choose records and to wait for the worker.
usage: python scripts/smoke.py http://127.0.0.1:PORT
"""
import datetime
import http.cookies
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

BASE = sys.argv[1].rstrip("/")
ROLES = ["admin", "tinh.backan", "huyen.bachthong", "hoidong.1", "htx.thienan"]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


class Browser:
    def __init__(self, address):
        self.cookies, self.address = {}, address

    def request(self, path, data=None):
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": self.address,
                   "Referer": BASE.replace("http://", "https://") + path}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            response = OPENER.open(urllib.request.Request(BASE + path, data=body, headers=headers), timeout=60)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, response.read()

    def csrf(self, path):
        status, _headers, body = self.request(path)
        assert status == 200, (path, status)
        return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()

    def login(self, username):
        token = self.csrf("/accounts/login/")
        status, headers, _body = self.request("/accounts/login/", {
            "csrfmiddlewaretoken": token, "username": username, "password": "ocop-demo"})
        assert status == 302 and headers["Location"] == "/", (username, status, headers.get("Location"))
        status, _headers, body = self.request("/")
        assert status == 200 and b'<html lang="vi">' in body, (username, status)
        return body


def check(label, condition):
    print(("ok   " if condition else "FAIL ") + label)
    if not condition:
        sys.exit(1)


def main():
    sys.path.insert(0, os.getcwd())
    import django

    django.setup()
    from certificates.models import Certificate
    from certificates.rendering import certificate_pdf_is_current
    from ocop.models import User

    today = datetime.date.today()
    for number, username in enumerate(ROLES, start=1):
        page = Browser(f"203.0.113.{number}").login(username)
        name = User.objects.get(username=username).get_full_name()
        check(f"{username} logs in through the form and sees a Vietnamese home page naming {name}",
              name.encode() in page)

    certificate = Certificate.objects.in_force(today).filter(issuing_unit__code="06").order_by("pk").first()
    check("the demo holds a certificate in force issued by Bắc Kạn", certificate is not None)
    status, _headers, body = Browser("198.51.100.7").request("/verify/" + urllib.parse.quote(certificate.number) + "/")
    check(f"the public verifies {certificate.number}: 200 and the number on the page",
          status == 200 and certificate.number.encode() in body)

    officer = Browser("203.0.113.2")
    officer.login("tinh.backan")
    token = officer.csrf(f"/certificates/{certificate.pk}/")
    status, headers, _body = officer.request(f"/certificates/{certificate.pk}/revoke/", {
        "csrfmiddlewaretoken": token, "ground": "quality", "reason": "Kiểm tra triển khai",
        "decision_number": "01/QĐ-KT", "revoked_on": today.isoformat()})
    check(f"the officer revokes {certificate.number} (302 back to the certificate)", status == 302)
    deadline = time.monotonic() + 120
    while True:
        certificate.refresh_from_db()
        if certificate.revoked_on and certificate_pdf_is_current(certificate):
            break
        if time.monotonic() > deadline:
            check("the worker rendered the revoked certificate's PDF within 120 s", False)
        time.sleep(1)
    check("the worker rendered the revoked certificate's PDF", True)
    status, headers, pdf = officer.request(f"/certificates/{certificate.pk}/pdf/")
    check("the PDF downloads", status == 200 and pdf.startswith(b"%PDF-"))
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        text = subprocess.run(["pdftotext", file.name, "-"], capture_output=True, text=True, check=True).stdout
    check("it reads ĐÃ THU HỒI and its number in exact Vietnamese", "ĐÃ THU HỒI" in text and certificate.number in text)
    print("smoke passed")


if __name__ == "__main__":
    main()
