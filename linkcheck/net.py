"""Checking one external address without ever reaching into a private network.

Every host is resolved through :func:`resolve` (the one place that asks DNS); the request is
refused unless every address is a public one (:func:`is_public`), and the connection is then
made to that vetted address (:func:`open_connection`), with the Host header and TLS server
name set to the host name, so a second DNS answer cannot send it elsewhere. Redirects are
followed (at most ``MAX_REDIRECTS``), each hop vetted the same way."""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

from django.utils.translation import gettext as _

MAX_REDIRECTS = 5
USER_AGENT = "GovPortal-LinkChecker/1.0 (government portal link check; contact: site webmaster)"
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}

# Ranges ipaddress does not flag on every Python version.
SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class Refused(Exception):
    """The host resolves (also) to an address that is not public."""


@dataclass(frozen=True)
class Outcome:
    """``ok`` or not, with the HTTP status when one was received and a reason for editors."""

    ok: bool
    status: str = "broken"  # broken / refused / unsupported, meaningful when not ok
    reason: str = ""
    http_status: int | None = None


OK = Outcome(True)


def resolve(host: str) -> list[str]:
    """The addresses ``host`` resolves to (an IP literal is itself)."""
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def is_public(address: str) -> bool:
    """True only for a globally routable unicast address. Private, loopback, link-local,
    multicast, reserved, unspecified, shared (100.64/10), IPv6 unique-local and site-local
    addresses are not public, nor are IPv6 forms that embed such an IPv4 address."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return is_public(str(ip.ipv4_mapped))
        if ip.sixtofour is not None and not is_public(str(ip.sixtofour)):
            return False
        if ip.teredo is not None and not all(is_public(str(part)) for part in ip.teredo):
            return False
        if ip in NAT64:
            return is_public(str(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)))
        if ip.is_site_local:
            return False
    elif ip in SHARED_ADDRESS_SPACE:
        return False
    if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast:
        return False
    if ip.is_reserved or ip.is_unspecified:
        return False
    return ip.is_global


def vetted_address(host: str) -> str:
    """The first address of ``host``, once every address it resolves to is public."""
    addresses = resolve(host)
    if not addresses or not all(is_public(address) for address in addresses):
        raise Refused(host)
    return addresses[0]


class PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to a given address; the Host header still names ``host``."""

    def __init__(self, host, address, port=None, timeout=10):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a given address, the certificate verified for ``host`` (SNI and hostname check)."""

    def __init__(self, host, address, port=None, timeout=10):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def open_connection(scheme: str, host: str, address: str, port: int, timeout: float):
    """A connection to the vetted ``address`` (tests replace this function)."""
    connection_class = PinnedHTTPSConnection if scheme == "https" else PinnedHTTPConnection
    return connection_class(host, address, port, timeout=timeout)


def request_target(parts) -> str:
    """Path and query of a URL as ASCII (non-ASCII characters percent-encoded)."""
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    if parts.query:
        path += "?" + quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return path


def _exchange(method, scheme, host, address, port, target, timeout) -> tuple[int, str | None]:
    connection = open_connection(scheme, host, address, port, timeout)
    try:
        connection.request(method, target, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        response = connection.getresponse()
        status, location = response.status, response.getheader("Location")
        response.close()  # no body is read
        return status, location
    finally:
        connection.close()


def check_url(url: str, timeout: float = 10) -> Outcome:
    """Whether ``url`` answers: HEAD (GET when HEAD is not allowed), redirects followed."""
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in SCHEMES:
            return Outcome(False, "unsupported", _("不支持的链接协议：%(scheme)s") % {"scheme": scheme or "-"})
        try:
            host = parts.hostname
            port = parts.port or DEFAULT_PORTS[scheme]
        except ValueError:
            host = None
        if not host:
            return Outcome(False, "broken", _("链接地址无效"))
        try:
            address = vetted_address(host)
        except Refused:
            return Outcome(False, "refused", _("内网地址，未检查"))
        except (OSError, UnicodeError):
            return Outcome(False, "broken", _("域名无法解析"))
        target = request_target(parts)
        try:
            status, location = _exchange("HEAD", scheme, host, address, port, target, timeout)
            if status in (405, 501):
                status, location = _exchange("GET", scheme, host, address, port, target, timeout)
        except TimeoutError:
            return Outcome(False, "broken", _("连接超时"))
        except ssl.SSLError:
            return Outcome(False, "broken", _("安全证书无效"))
        except (OSError, http.client.HTTPException, UnicodeError):
            return Outcome(False, "broken", _("无法连接"))
        if status in REDIRECT_STATUSES and location:
            url = urljoin(url, location.strip())
            continue
        if status >= 400:
            return Outcome(False, "broken", _("服务器返回 HTTP %(status)d") % {"status": status}, status)
        return OK
    return Outcome(False, "broken", _("重定向次数过多"))
