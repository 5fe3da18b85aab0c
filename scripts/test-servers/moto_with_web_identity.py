"""moto_server with AWS's rule for STS AssumeRoleWithWebIdentity: that call is never signed (the web identity
token is its proof), so the signature-checking server must let it through, as AWS does. Everything else is
moto_server as is. Used by moto.sh for the credential-chain tests' server."""
import sys

from moto.core import authorization

_checked = authorization.ActionAuthenticatorMixin._authenticate_and_authorize_action


def _authenticate(self, iam_request_cls, resource="*"):
    try:
        action = self._get_action()
    except Exception:  # S3's responses name actions their own way; they are always checked
        action = None
    if action == "AssumeRoleWithWebIdentity":
        return None
    return _checked(self, iam_request_cls, resource)


authorization.ActionAuthenticatorMixin._authenticate_and_authorize_action = _authenticate

from moto.server import main  # noqa: E402

main(sys.argv[1:])
