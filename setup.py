"""gnet: Node.js's node:net module for Python, on gevent greenlets."""

import os

from setuptools import find_packages, setup

HERE = os.path.dirname(os.path.abspath(__file__))

with open(os.path.join(HERE, 'README.md'), encoding='utf-8') as f:
    LONG_DESCRIPTION = f.read()

setup(
    name='gnet',
    version='0.1.0',
    description="Node.js's node:net (servers, sockets, streams) for Python on gevent",
    long_description=LONG_DESCRIPTION,
    long_description_content_type='text/markdown',
    license='MIT',
    python_requires='>=3.9',
    packages=find_packages(include=['gnet', 'gnet.*']),
    package_data={'gnet': ['py.typed']},
    include_package_data=True,
    zip_safe=False,
    # lower bounds: the ones the tox 'mindeps' env installs and tests
    install_requires=[
        'gevent>=23.7.0',
        'greenlet>=2.0.0',
        'zope.interface>=5.4.0',
    ],
    extras_require={
        # gevent's libuv loop (GEVENT_LOOP=libuv-cffi) needs cffi's runtime,
        # which gevent does not install on Linux
        'libuv': ['cffi>=1.14.3'],
        'test': [
            'pytest>=7',
            'pytest-timeout>=2.1',
            'hypothesis>=6.50',
            'mypy>=1.0',  # tests/typing: a Node program ported with Node's names passes mypy --strict
        ],
    },
    entry_points={'console_scripts': ['gnet = gnet.__main__:main']},
    classifiers=[
        'Programming Language :: Python :: 3',
        'Topic :: System :: Networking',
        'Operating System :: POSIX',
        'Typing :: Typed',
    ],
)
