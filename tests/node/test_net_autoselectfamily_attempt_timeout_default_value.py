"""test-net-autoselectfamily-attempt-timeout-default-value.js: the default
attempt timeout of family autoselection is Node's (250 ms).

Node's test reads 2500 because its test/common multiplies the default by
ten when it loads; this port's ``common`` does not, so the value read is
the default itself.
"""

from gnet import getDefaultAutoSelectFamilyAttemptTimeout


def test_net_autoselectfamily_attempt_timeout_default_value(common):
    assert getDefaultAutoSelectFamilyAttemptTimeout() == common.platformTimeout(250)
