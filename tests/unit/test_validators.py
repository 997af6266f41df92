"""gnet.validators: Node's number validators and the JS coercions, checked against node.

The coercions are compared value by value with what node v20 computes
(``Number(x)``, ``x | 0``, ``~~(x / 1000)``, ``Number.isInteger(x)``); the
validators raise Node's error classes, never a bare Python error.
"""

import json
import math
import shutil
import subprocess

import pytest

from gnet import errors, validators

NODE = shutil.which('node')

#: (Python value, its JS spelling)
VALUES = [(0, '0'), (999, '999'), (1000, '1000'), (1500.7, '1500.7'), (-5000, '-5000'),
          (2 ** 31 * 1000, '2 ** 31 * 1000'), (2 ** 32 * 1000, '2 ** 32 * 1000'),
          (32768 * 1000, '32768000'), (2 ** 53, '2 ** 53'), (10 ** 400, '1e400'),
          (-10 ** 400, '-1e400'), (float('nan'), 'NaN'), (float('inf'), 'Infinity'),
          (float('-inf'), '-Infinity'), (1e300, '1e300'), (-0.5, '-0.5'), (None, 'undefined'),
          (True, 'true'), (False, 'false'), ('x', "'x'"), ('', "''"), (' 12 ', "' 12 '"),
          ('0x10', "'0x10'"), ('1e3', "'1e3'"), ('Infinity', "'Infinity'"), ('inf', "'inf'"),
          ('1_000', "'1_000'"), ('-0x10', "'-0x10'"), ([], '[]'), ({}, '({})'), (b'x', '({})'),
          (1.9, '1.9'), (-1.9, '-1.9'), (1.5e-7, '1.5e-7'), (-2.5e-7, '-2.5e-7'), ('12abc', "'12abc'")]


def _same(a, b):
    return (a != a and b != b) or a == b


@pytest.mark.timeout(30)
@pytest.mark.skipif(NODE is None, reason='node is not installed')
def test_coercions_match_node():
    script = 'console.log(JSON.stringify([%s].map(v => [String(Number(v)), v | 0, ~~(v / 1000), '\
             'Number.isInteger(v), String(Number.isInteger(v) ? v : parseInt(v, 10))])))' % (
                 ', '.join(js for _, js in VALUES))
    got = json.loads(subprocess.run([NODE, '-e', script], capture_output=True, text=True,
                                    timeout=25, check=True).stdout)
    for (value, js), (number, int32, seconds, integer, read_size) in zip(VALUES, got, strict=True):
        assert _same(validators.js_number(value), float(number)), js
        assert validators.to_int32(value) == int32, js
        assert validators.keep_alive_seconds(value) == seconds, js
        assert validators.is_integer(value) == integer, js
        size = validators.js_parse_int(value)  # Readable.read(n)'s coercion
        assert (read_size == 'NaN' and size is None) or float(read_size) == size, js


def test_keep_alive_seconds_fits_a_c_int():
    for value, js in VALUES:
        assert -2 ** 31 <= validators.keep_alive_seconds(value) < 2 ** 31, js


@pytest.mark.parametrize('check,args', [
    (validators.validate_number, ()), (validators.validate_number, (0,)),
    (validators.validate_number, (0, 10)), (validators.validate_integer, ()),
    (validators.validate_int32, ()), (validators.validate_uint32, ()),
    (validators.validate_uint32, (True,)), (validators.timer_duration, ())])
def test_validators_raise_only_node_errors(check, args):
    for value, js in VALUES:
        try:
            result = check(value, 'x', *args)
        except errors.NodeError as err:
            assert err.code in ('ERR_INVALID_ARG_TYPE', 'ERR_OUT_OF_RANGE'), js
            assert isinstance(err, TypeError if err.code == 'ERR_INVALID_ARG_TYPE' else ValueError)
            assert str(err)
        else:
            assert validators.is_number(result), js


def test_validate_number_bounds_and_nan():
    assert math.isnan(validators.validate_number(float('nan'), 'n'))  # no bounds: NaN passes
    with pytest.raises(errors.ERR_OUT_OF_RANGE, match=r'It must be >= 1\. Received NaN'):
        validators.validate_number(float('nan'), 'n', 1)
    with pytest.raises(errors.ERR_OUT_OF_RANGE, match=r'>= 0 && <= 10\. Received 11'):
        validators.validate_number(11, 'n', 0, 10)
    with pytest.raises(errors.ERR_INVALID_ARG_TYPE):
        validators.validate_number(True, 'n')


def test_integer_messages_as_node():
    with pytest.raises(errors.ERR_OUT_OF_RANGE, match=r'It must be an integer\. Received Infinity'):
        validators.validate_integer(10 ** 400, 'n')
    with pytest.raises(errors.ERR_OUT_OF_RANGE, match=r'Received 2_147_483_648_000$'):
        validators.validate_int32(2 ** 31 * 1000, 'n')
    with pytest.raises(errors.ERR_OUT_OF_RANGE, match=r'a non-negative finite number\. Received -1$'):
        validators.timer_duration(-1, 'msecs')
    assert validators.validate_int32(2.0, 'n') == 2
