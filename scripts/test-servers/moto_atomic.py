"""moto_server with S3's conditional writes atomic, as S3's are: moto 5 checks If-Match / If-None-Match and then
writes in two steps, unlocked, on a threaded server, so two conditional PUTs of one key racing could both pass
(seen as two winners of one stale lock in RunLockTests). Each object PUT and DELETE runs under one lock here;
everything else is moto_server as is. Used by moto.sh for the main test server."""
import sys
import threading

from moto.s3.responses import S3Response

_writes = threading.Lock()


def _serialized(method):
    def run(self, *args, **kwargs):
        with _writes:
            return method(self, *args, **kwargs)

    return run


S3Response.put_object = _serialized(S3Response.put_object)
S3Response.delete_object = _serialized(S3Response.delete_object)

from moto.server import main  # noqa: E402

main(sys.argv[1:])
