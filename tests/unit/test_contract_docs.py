"""Each contract is stated once, in gnet.interfaces.CONTRACTS; the docs quote it or link to it.

Any line of docs/*.md or README.md that mentions a contract ID must either
link the ID to interfaces.py (``[W2](../gnet/interfaces.py)``) or be part of
a blockquote that quotes the contract verbatim (``> W2 <the text>``, line
breaks free).  Anything else is a paraphrase, which is how W2 once came to
be stated three different ways.
"""

import os
import re

import pytest

from gnet.interfaces import CONTRACTS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ID = re.compile(r'(?<![\w`/.-])([WRDCKTS][1-9])(?![\w`])')
LINK = re.compile(r'\[([WRDCKTS][1-9])\]\(([^)]*interfaces\.py[^)]*)\)')


def pages():
    docs = os.path.join(ROOT, 'docs')
    found = [os.path.join(docs, name) for name in sorted(os.listdir(docs)) if name.endswith('.md')]
    return found + [os.path.join(ROOT, 'README.md')]


def normalize(text):
    return ' '.join(text.split())


def quote_blocks(lines):
    """``{line index: the whole blockquote's text}`` for every line inside a blockquote."""
    blocks, current = {}, []
    for index, line in enumerate(lines + ['']):
        if line.lstrip().startswith('>'):
            current.append(index)
            continue
        text = normalize(' '.join(lines[i].lstrip()[1:] for i in current))
        for i in current:
            blocks[i] = text
        current = []
    return blocks


def paraphrases(text):
    lines = text.splitlines()
    blocks = quote_blocks(lines)
    bad = []
    for index, line in enumerate(lines):
        linked = {match.group(1) for match in LINK.finditer(line)}
        for contract in ID.findall(LINK.sub('', line)):
            if contract not in CONTRACTS or contract in linked:
                continue
            quoted = normalize('%s %s' % (contract, CONTRACTS[contract]))
            if quoted not in blocks.get(index, ''):
                bad.append((index + 1, contract, line.strip()))
    return bad


@pytest.mark.parametrize('page', pages(), ids=os.path.basename)
def test_docs_quote_or_link_every_contract(page):
    with open(page, encoding='utf-8') as f:
        bad = paraphrases(f.read())
    assert not bad, '%s paraphrases contracts (quote gnet.interfaces.CONTRACTS or link it): %s' % (
        os.path.relpath(page, ROOT), bad)


def test_the_rule_catches_a_paraphrase_and_accepts_quotes_and_links():
    assert paraphrases('write() is False iff the queue reached the mark (W2).')
    assert not paraphrases('write() returns a bool ([W2](../gnet/interfaces.py)).')
    words = CONTRACTS['W2'].split(' ')
    assert not paraphrases('> W2 ' + ' '.join(words[:6]) + '\n> ' + ' '.join(words[6:]))
    assert paraphrases('> W2 returns False when full.')
    assert not paraphrases('a PROXY v2 header, RFC 1122, ISO-8859-1 and `S1` in code')


def test_W2_is_nodes_rule():
    text = CONTRACTS['W2']
    assert 'writable_length == 0' in text and 'True' in text
