"""The pure parts of the growth benchmark (``bench/growth.py``, ``bench/harness/growth.py``).

Section replacement between the growth markers, flatness, the markdown
tables, the connection-count options and the descriptor-limit filter, and the
plot's fallback without matplotlib.  Nothing here starts a process or a loop.

No test imported a benchmark module before: ``bench/`` is not a package, its
driver imports its harness as the top-level package ``harness`` (``bench/`` on
``sys.path``, as when ``bench/growth.py`` runs), so the tests put ``bench/``
on the path the same way and load the driver by its file path.
"""

import argparse
import importlib.util
import os
import sys

import pytest

BENCH = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), 'bench')
if BENCH not in sys.path:
    sys.path.insert(0, BENCH)

from harness import growth  # noqa: E402
from harness.growth import ACTIVE, BEGIN, END, IDLE  # noqa: E402
from harness.report import summarize  # noqa: E402


def load_driver():
    spec = importlib.util.spec_from_file_location('bench_growth_driver', os.path.join(BENCH, 'growth.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


driver = load_driver()

SECTION = BEGIN + '\n\nnew figures\n' + END + '\n'


def results_from(values):
    """{(curve, n, server): summarize([samples])} from {(curve, n, server): [sample]}."""
    return {key: summarize(samples) for key, samples in values.items()}


# -- replacing the section between the markers ------------------------------------------------

def test_a_file_without_markers_gets_the_section_appended_after_a_blank_line():
    assert growth.replace_section('# Results\n\ntext\n\n\n', SECTION) == '# Results\n\ntext\n\n' + SECTION


def test_an_empty_file_becomes_the_section():
    assert growth.replace_section('', SECTION) == SECTION


def test_the_old_section_is_replaced_and_the_text_around_it_kept():
    text = 'before\n\n' + BEGIN + '\nold figures\n' + END + '\nafter\n'
    assert growth.replace_section(text, SECTION) == 'before\n\n' + SECTION + 'after\n'


def test_replacing_twice_gives_the_same_text():
    once = growth.replace_section('intro\n' + BEGIN + '\nold\n' + END + '\n<!-- other -->\n', SECTION)
    assert growth.replace_section(once, SECTION) == once
    assert once.count(BEGIN) == once.count(END) == 1
    assert 'old' not in once and once.endswith('<!-- other -->\n')


@pytest.mark.parametrize('text', [
    'x\n' + BEGIN + '\nno end\n',
    'x\n' + END + '\nno begin\n',
    END + '\n' + BEGIN + '\n',
    BEGIN + '\n' + END + '\n' + BEGIN + '\n' + END + '\n',
])
def test_unbalanced_markers_raise_instead_of_losing_text(text):
    with pytest.raises(ValueError, match='unbalanced'):
        growth.replace_section(text, SECTION)


def test_write_section_creates_then_replaces(tmp_path):
    path = tmp_path / 'RESULTS.md'
    growth.write_section(str(path), SECTION)
    assert path.read_text(encoding='utf8') == SECTION
    path.write_text('# head\n' + SECTION + 'tail\n', encoding='utf8')
    growth.write_section(str(path), SECTION.replace('new', 'newer'))
    assert path.read_text(encoding='utf8') == '# head\n' + BEGIN + '\n\nnewer figures\n' + END + '\ntail\n'


# -- flatness --------------------------------------------------------------------------------

def test_flatness_against_the_1000_figure():
    flat = growth.flatness({1000: 5.0, 2500: 5.5, 5000: 4.5})
    assert flat['base'] == 1000
    assert flat['max_min'] == pytest.approx(5.5 / 4.5)
    assert flat['lo_pct'] == pytest.approx(-10.0)
    assert flat['hi_pct'] == pytest.approx(10.0)


def test_flatness_falls_back_to_the_smallest_count_without_1000():
    flat = growth.flatness({500: 4.0, 200: 5.0})
    assert flat['base'] == 200
    assert flat['lo_pct'] == pytest.approx(-20.0) and flat['hi_pct'] == pytest.approx(0.0)


def test_flatness_of_a_flat_curve_and_of_no_curve():
    assert growth.flatness({1000: 3.0, 19000: 3.0}) == {'max_min': 1.0, 'base': 1000, 'lo_pct': 0.0,
                                                        'hi_pct': 0.0}
    assert growth.flatness({}) is None


def test_flatness_gives_no_ratio_for_non_positive_figures():
    flat = growth.flatness({1000: 0.0, 2500: 0.5})
    assert flat['max_min'] is None and flat['lo_pct'] is None


def test_percentages_are_signed_with_a_true_minus():
    assert [growth.fmt_pct(v) for v in (12.4, -3.0, 0.4, -0.4)] == ['+12%', '−3%', '0%', '0%']
    assert growth.fmt_spread(growth.flatness({1000: 5.0, 2500: 5.5, 5000: 4.5})) == '−10% … +10%'
    assert growth.fmt_spread(growth.flatness({1000: 5.0})) == '0%'
    assert growth.fmt_spread(None) == '—'


# -- the tables ------------------------------------------------------------------------------

def idle_results():
    return results_from({
        (IDLE, 1000, 'a'): [{'value': 5.0}, {'value': 5.2}, {'value': 4.8}],
        (IDLE, 2500, 'a'): [{'value': 6.0}],
        (IDLE, 1000, 'b'): [{'error': 'server did not print ready'}],
        (IDLE, 2500, 'b'): [{'value': 10.0}],
    })


def test_figures_are_the_medians_sorted_by_count():
    results = idle_results()
    assert growth.figures(results, IDLE, 'a') == {1000: 5.0, 2500: 6.0}
    assert list(growth.figures(results, IDLE, 'a')) == [1000, 2500]
    assert growth.figures(results, IDLE, 'b') == {2500: 10.0}
    assert growth.figures(results, ACTIVE, 'a') == {}


def test_idle_table_has_a_row_per_count_and_the_flatness_rows():
    rows = growth.idle_table(idle_results(), ['a', 'b', 'c'], [1000, 2500])
    assert rows[0] == '| connections | `a` | `b` | `c` |'
    assert rows[1] == '|---:|---:|---:|---:|'
    assert rows[2] == '| 1,000 | 5.00 | failed | — |'
    assert rows[3] == '| 2,500 | 6.00 | 10.0 | — |'
    assert rows[4] == '| **max ÷ min** | 1.20× | 1.00× | — |'
    # b has only 2,500 measured, so its base differs from a's: the label says so
    assert rows[5] == '| **vs the smallest count** | 0% … +20% | 0% | — |'
    assert len(rows) == 6


def test_the_flatness_row_names_the_1000_base_when_every_server_has_it():
    results = results_from({(IDLE, 1000, 'a'): [{'value': 4.0}], (IDLE, 5000, 'a'): [{'value': 3.0}]})
    assert growth.idle_table(results, ['a'], [1000, 5000])[-1] == '| **vs 1,000** | −25% … 0% |'


def test_latency_and_cpu_tables_mark_disturbed_and_loadgen_bound_runs():
    sample = {'value': 1e5, 'p50_us': 450.0, 'p99_us': 1234.0, 'cpu_per_op_us': 9.5,
              'foreign_pct': 0.0, 'loadgen_cpu_pct': 50.0}
    results = results_from({
        (ACTIVE, 100, 'a'): [dict(sample)],
        (ACTIVE, 100, 'b'): [dict(sample, foreign_pct=40.0, loadgen_cpu_pct=95.0)],
    })
    lat = growth.latency_table(results, ['a', 'b'], [100, 5000])
    assert lat[0] == '| active connections | `a` | `b` |'
    assert lat[2] == '| 100 | 450 / 1,234 | 450 / 1,234*† |'
    assert lat[3] == '| 5,000 | — | — |'
    assert growth.cpu_table(results, ['a', 'b'], [100])[2] == '| 100 | 9.50 | 9.50*† |'


def test_the_report_carries_date_machine_command_and_notes():
    meta = {'date': '2026-01-02 03:04 UTC', 'elapsed': 61.0, 'warmup': 1.0, 'seconds': 5.0,
            'passes': 3, 'command_line': ['bench/growth.py', '--only', 'a b']}
    info = {'cpu': 'CPU X', 'cores': 2, 'kernel': '6.1', 'python': '3.11.7', 'gevent': '24.2',
            'node': 'v20'}
    text = growth.results_section(idle_results(), ['a', 'b'], [1000, 2500], [100], meta, info,
                                  ['`c` skipped'])
    assert text.startswith(BEGIN + '\n') and text.endswith(END + '\n')
    assert 'Date: 2026-01-02 03:04 UTC (run took 61 s)' in text
    assert 'Machine: CPU X, 2 cores, Linux 6.1' in text
    assert "Command: `bench/growth.py --only 'a b'`" in text
    assert '3 pass(es)' in text and '- `c` skipped' in text


def test_the_docs_section_embeds_the_plot_only_when_there_is_one():
    meta = {'date': 'D', 'command_line': ['bench/growth.py'], 'elapsed': 1.0}
    with_plot = growth.docs_section(idle_results(), ['a'], [1000, 2500], [100], meta, 'images/growth.png')
    assert '](images/growth.png)' in with_plot and 'earlier run' not in with_plot
    stale = growth.docs_section(idle_results(), ['a'], [1000, 2500], [100], meta, 'images/growth.png',
                                stale=True)
    assert 'earlier run' in stale
    assert '.png' not in growth.docs_section(idle_results(), ['a'], [1000, 2500], [100], meta, None)


# -- the plot without matplotlib -------------------------------------------------------------

def test_without_matplotlib_the_plot_is_skipped_and_nothing_written(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, 'matplotlib', None)   # import matplotlib -> ImportError
    path = tmp_path / 'images' / 'growth.png'
    assert growth.plot(idle_results(), ['a', 'b'], [1000, 2500], [100], str(path)) is False
    assert not path.exists()


# -- the driver's options --------------------------------------------------------------------

def test_counts_are_sorted_without_repeats_and_must_be_positive():
    assert driver.counts('5000,100,1000,100') == [100, 1000, 5000]
    for bad in ('10,x', '0,5', ''):
        with pytest.raises(argparse.ArgumentTypeError):
            driver.counts(bad)


def test_counts_over_the_descriptor_limit_are_skipped_with_a_note():
    notes = []
    assert driver.fitting([1000, 19000, 19900], 20000, 'idle counts', notes) == [1000, 19000]
    assert notes == ['idle counts 19,900 skipped: RLIMIT_NOFILE is 20,000 and a count needs 200 '
                     'descriptors more than its connections']
    assert driver.fitting([100], 20000, 'active counts', notes) == [100] and len(notes) == 1


def test_quick_fills_in_only_what_was_not_given():
    args = driver.parse_args(['--quick', '--active', '10'])
    assert args.sizes == [200, 500] and args.active == [10]
    assert (args.warmup, args.seconds, args.retries, args.quiet_wait) == (0.3, 1.0, 0, 1.0)
    full = driver.parse_args([])
    assert full.sizes == [1000, 2500, 5000, 10000, 15000, 19000] and full.active == [100, 1000, 5000]
    assert (full.passes, full.warmup, full.seconds) == (1, 1.0, 5.0)


def test_a_run_of_bench_run_keeps_the_growth_and_tls_sections():
    from harness import tlsreport
    tls = tlsreport.BEGIN + '\ntls figures\n' + tlsreport.END + '\n'
    existing = '# results\nold net\n\n' + tls + '\n' + SECTION
    merged = tlsreport.merge_results(existing, '# results\nnew net\n', None)
    assert merged == '# results\nnew net\n\n' + tls + '\n' + SECTION
    merged = tlsreport.merge_results(existing, None, tlsreport.BEGIN + '\nnew tls\n' + tlsreport.END)
    assert 'old net' in merged and 'new tls' in merged and 'tls figures' not in merged
    assert merged.endswith(SECTION)
