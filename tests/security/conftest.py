"""The webhook fixtures (a real local HTTPS server, the agencies of a referral) for the security tests."""

from tests.home.conftest import hospital, nurse  # noqa: F401
from tests.webhooks.conftest import (  # noqa: F401
    ca_file,
    https_server,
    local_https,
    receiver_admin,
    receiver_officer,
    receiving_agency,
    sender,
    sender_admin,
    sending_agency,
    test_ca,
)
