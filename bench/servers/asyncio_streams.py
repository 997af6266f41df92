"""Echo server: asyncio streams (``reader.read(65536)`` / ``write`` / ``drain``)."""

import asyncio

import _common  # noqa: F401


async def handle(reader, writer):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except OSError:
        pass
    finally:
        writer.close()


async def main():
    args = _common.parse_args(__doc__)
    if args.path:
        server = await asyncio.start_unix_server(handle, path=args.path, backlog=511)
    else:
        server = await asyncio.start_server(handle, args.host, args.port, backlog=511)
    _common.ready()
    async with server:
        await server.serve_forever()


if __name__ == '__main__':
    asyncio.run(main())
