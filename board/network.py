"""Where phones can reach this board: the machine's addresses on the local network.

Found from the machine's own interfaces, without sending anything: the kernel is asked
per interface (Linux), or the host name is looked up where that is not possible.
"""

import ipaddress
import socket
import struct
import sys
from urllib.parse import urlsplit

WILDCARD_HOSTS = ("0.0.0.0", "::", "")
SIOCGIFADDR = 0x8915  # Linux: the IPv4 address of one interface


def _interface_address(sock: socket.socket, name: str) -> str | None:
    import fcntl

    request = struct.pack("256s", name.encode()[:15])
    try:
        answer = fcntl.ioctl(sock.fileno(), SIOCGIFADDR, request)
    except OSError:  # an interface without an IPv4 address
        return None
    return socket.inet_ntoa(answer[20:24])


def interface_addresses() -> list[str]:
    """Every IPv4 address of this machine's interfaces, loopback included."""
    if sys.platform.startswith("linux"):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            found = (_interface_address(sock, name) for _, name in socket.if_nameindex())
            return [address for address in found if address]
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return []
    return [info[4][0] for info in infos]


def reachable(addresses: list[str]) -> list[str]:
    """The addresses another device on the network may reach, the usual home and school
    ranges (192.168/16, 10/8, 172.16/12) first; no loopback, no link-local, no duplicates."""
    kept: list[ipaddress.IPv4Address] = []
    for text in addresses:
        address = ipaddress.IPv4Address(text)
        local = address.is_loopback or address.is_link_local or address.is_unspecified
        if not local and address not in kept:
            kept.append(address)
    ranges = [ipaddress.IPv4Network(n) for n in ("192.168.0.0/16", "10.0.0.0/8", "172.16.0.0/12")]

    def rank(address: ipaddress.IPv4Address) -> int:
        return next((i for i, net in enumerate(ranges) if address in net), len(ranges))

    return [str(address) for address in sorted(kept, key=rank)]


def lan_urls(host: str | None, port: int, addresses: list[str] | None = None) -> list[str]:
    """The board's addresses for phones when it listens on every interface (HOST=0.0.0.0);
    none when it listens on one address only."""
    if host is None or host.strip() not in WILDCARD_HOSTS:
        return []
    found = reachable(interface_addresses() if addresses is None else addresses)
    return [f"http://{address}:{port}" for address in found]


def is_loopback_url(url: str) -> bool:
    """Whether the address only reaches this very machine (127.x, ::1, localhost)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def startup_lines(host: str, lan: list[str], public_url: str) -> list[str]:
    """What the console says at start about joining by phone."""
    if public_url:
        return [f"Telefoons: {public_url}"]
    if lan:
        return [f"Telefoons: {url}" for url in lan]
    if host.strip() in WILDCARD_HOSTS:
        return ["Telefoons: geen netwerkadres gevonden. Is deze computer verbonden met het net?"]
    return ["Telefoons kunnen dit adres niet bereiken. Voor telefoons: HOST=0.0.0.0 make run"]
