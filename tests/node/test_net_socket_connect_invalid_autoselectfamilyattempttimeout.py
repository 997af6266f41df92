"""test-net-socket-connect-invalid-autoselectfamilyattempttimeout.js: an
autoSelectFamilyAttemptTimeout below 1 is rejected with ERR_OUT_OF_RANGE by
connect() and by the default's setter; values 1..9 are raised to 10."""

import gnet as net


def test_net_socket_connect_invalid_autoselectfamilyattempttimeout(common):
    saved = net.getDefaultAutoSelectFamilyAttemptTimeout()
    try:
        for autoSelectFamilyAttemptTimeout in (-10, 0):
            common.throws(lambda: net.connect({
                'port': 8080,
                'autoSelectFamily': True,
                'autoSelectFamilyAttemptTimeout': autoSelectFamilyAttemptTimeout,
            }), code='ERR_OUT_OF_RANGE')

            common.throws(
                lambda: net.setDefaultAutoSelectFamilyAttemptTimeout(autoSelectFamilyAttemptTimeout),
                code='ERR_OUT_OF_RANGE')

        for autoSelectFamilyAttemptTimeout in (1, 9):
            net.setDefaultAutoSelectFamilyAttemptTimeout(autoSelectFamilyAttemptTimeout)
            assert net.getDefaultAutoSelectFamilyAttemptTimeout() == 10
    finally:
        # the process-wide default outlives this test here (Node's process ends)
        net.setDefaultAutoSelectFamilyAttemptTimeout(saved)
