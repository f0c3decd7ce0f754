"""A mail server for quire's tests (tests/it/send.rs), on aiosmtpd.

Listens on 127.0.0.1 on a free port, prints "PORT <n>" on standard output once it accepts
connections, and writes each message it receives to OUTDIR as 1.eml, 2.eml, ... (the bytes
as received), with the envelope's recipients in 1.rcpt, ... A recipient whose address
starts with "refuse" is answered 550 with a recognisable text. With --user and --password,
the server asks for a login (over the plain connection: this is a test on loopback) and
refuses any other. Runs until its standard input closes.

usage: server.py OUTDIR [--user U --password P]
"""

import argparse
import socket
import sys
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

REFUSAL = "550 5.1.1 test server: this mailbox refuses every message"


class Handler:
    def __init__(self, outdir: Path):
        self.outdir = outdir
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("refuse"):
            return REFUSAL
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        stem = self.outdir / str(self.count)
        # Written under another name and renamed: the test never reads half a message.
        part = stem.with_suffix(".part")
        part.write_bytes(envelope.original_content)
        stem.with_suffix(".rcpt").write_text("\n".join(envelope.rcpt_tos) + "\n")
        part.rename(stem.with_suffix(".eml"))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--user")
    parser.add_argument("--password")
    args = parser.parse_args()
    args.outdir.mkdir(parents=True, exist_ok=True)

    extra = {}
    if args.user is not None:

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (
                auth_data.login.decode() == args.user
                and auth_data.password.decode() == args.password
            )
            # handled=False: the server answers 535 itself.
            return AuthResult(success=ok, handled=False)

        extra = dict(
            authenticator=authenticator,
            auth_required=True,
            auth_require_tls=False,
        )

    controller = Controller(
        Handler(args.outdir),
        hostname="127.0.0.1",
        port=free_port(),
        # No size limit of its own: the tests check quire's.
        data_size_limit=None,
        **extra,
    )
    controller.start()
    print(f"PORT {controller.port}", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
