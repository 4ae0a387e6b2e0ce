"""Let daphne 4.0 pass the ASGI `reason` of websocket.close to the client.

Daphne 4.0 (Debian 12) drops the close reason; later daphne releases send it. PROTOCOL.md asks for
reasons such as `Invalid token`, so this patches the one method that handles websocket.close. It
also lets the server send 1003 and 1009, which autobahn's sendClose() refuses for applications.
"""
from autobahn.util import encode_truncate
from daphne.ws_protocol import WebSocketProtocol

_original_handle_reply = WebSocketProtocol.handle_reply


def _handle_reply(self, message):
    if message.get("type") == "websocket.close" and self.state != self.STATE_CONNECTING and message.get("reason"):
        self.sendCloseFrame(code=message.get("code") or 1000,
                            reasonUtf8=encode_truncate(message["reason"], 123), isReply=False)
        return
    _original_handle_reply(self, message)


def install():
    WebSocketProtocol.handle_reply = _handle_reply
