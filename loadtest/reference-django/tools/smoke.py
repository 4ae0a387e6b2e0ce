#!/usr/bin/python3
"""Smoke test: register, tokens, chat, two sockets, one message, non-participant and bad token."""
import asyncio
import json
import sys
import time
import urllib.request

import websockets

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8001"
WS = BASE.replace("http", "ws", 1)


def post(path, body, token=None):
    req = urllib.request.Request(BASE + path, json.dumps(body).encode(), {"Content-Type": "application/json"})
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req) as r:
        return r.status, json.loads(r.read())


def user(name):
    status, u = post("/api/auth/register/", {"username": name, "password": "password123",
                                             "first_name": name.title(), "last_name": "Smoke"})
    assert status == 201 and "id" in u, (status, u)
    status, t = post("/api/token/", {"username": name, "password": "password123"})
    assert status == 200 and set(t) == {"access", "refresh"}, t
    return u, t["access"]


async def closed_with(url, headers=None):
    async with websockets.connect(url, extra_headers=headers or {}) as ws:
        try:
            frame = await asyncio.wait_for(ws.recv(), 5)
            return "unexpected frame " + frame
        except websockets.ConnectionClosed as e:
            return (e.code, e.reason)


async def main():
    run = str(int(time.time()))
    (a, ta), (b, tb), (c, tc) = user("a" + run), user("b" + run), user("c" + run)
    status, chat = post("/api/chats/", {"name": "smoke", "participant_ids": [b["id"]]}, ta)
    assert status == 201 and {p["id"] for p in chat["participants"]} == {a["id"], b["id"]}, chat
    print("chat:", json.dumps(chat))
    url = f"{WS}/ws/chat/{chat['id']}/"
    wa = await websockets.connect(url + "?token=" + ta)                              # query parameter
    wb = await websockets.connect(url, extra_headers={"Authorization": "Bearer " + tb})  # header
    for ws in (wa, wb):
        hello = await ws.recv()
        assert hello == json.dumps({"type": "connection_established", "message": "Successfully connected to chat",
                                    "chat_id": chat["id"]}, separators=(",", ":")), hello
    print("connection_established:", hello)
    await wa.send(json.dumps({"type": "message", "text": "  hello from a  "}))
    got = [await asyncio.wait_for(ws.recv(), 5) for ws in (wa, wb)]
    assert got[0] == got[1] and got[0].startswith('{"type":"message"'), got
    data = json.loads(got[0])["data"]
    assert data["text"] == "hello from a" and data["sender"]["id"] == a["id"], data
    assert set(data) == {"id", "text", "sender", "timestamp", "is_edited", "is_deleted"}, data
    assert set(data["sender"]) == {"id", "username", "first_name", "last_name"}, data
    assert data["timestamp"].endswith("Z"), data
    print("broadcast (both sockets):", got[0])
    for bad, expect in [("{", "Invalid JSON format"), ("[1]", "Invalid JSON format"), ('{"x":1}', "Message type is required"),
                        ('{"type":"invalid_type"}', "Unknown message type: invalid_type"),
                        ('{"type":"message","text":" \u00a0 "}', "Message text cannot be empty"),
                        (json.dumps({"type": "message", "text": "x" * 1001}), "Message text cannot exceed 1000 characters"),
                        (json.dumps({"type": "message", "text": "a\u0000b"}), "Message text contains invalid characters")]:
        await wa.send(bad)
        err = await asyncio.wait_for(wa.recv(), 5)
        assert json.loads(err) == {"type": "error", "message": expect}, (bad, err)
    print("error frame example:", err)
    await wa.send(json.dumps({"type": "typing", "is_typing": True}))
    print("typing (to b only):", await asyncio.wait_for(wb.recv(), 5))
    print("non-participant:", await closed_with(url + "?token=" + tc))
    print("missing chat:", await closed_with(f"{WS}/ws/chat/99999999/?token=" + ta))
    print("bad token:", await closed_with(url + "?token=garbage"))
    print("no token:", await closed_with(url))
    _, refresh = post("/api/token/", {"username": "a" + run, "password": "password123"})
    print("refresh token:", await closed_with(url + "?token=" + refresh["refresh"]))
    print("header wins over bad query:", await closed_with(url + "?token=garbage", {"Authorization": "Bearer " + tc}))
    await wa.send(b"\x00binary")
    try:
        await asyncio.wait_for(wa.recv(), 5)
    except websockets.ConnectionClosed as e:
        print("binary frame:", (e.code, e.reason))
    await wb.close()
    print("OK")


asyncio.run(main())
