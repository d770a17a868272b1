"""The request-size limit: a body over ``max_bytes`` is answered 413 before it is read
in full (by ``Content-Length``, or while it streams in)."""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import PROBLEM_MEDIA_TYPE, ProblemDetails


class BodySizeLimit:
    """ASGI middleware refusing request bodies over ``max_bytes`` with 413."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit()
                                     or int(declared) > self.max_bytes):
            await self._refuse(send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:  # answered by the app's problem handlers
                raise HTTPException(413, self._detail())
            return message

        await self.app(scope, counted, send)

    async def _refuse(self, send: Send) -> None:
        body = ProblemDetails(title="Request too large", status=413,
                              detail=self._detail())
        payload = json.dumps(body.model_dump()).encode("utf-8")
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                                (b"content-length", str(len(payload)).encode())]})
        await send({"type": "http.response.body", "body": payload})

    def _detail(self) -> str:
        return f"the request body is over {self.max_bytes} bytes"
