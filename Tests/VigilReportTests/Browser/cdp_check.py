#!/usr/bin/env python3
"""Loads a page in headless Chromium and reports what happened, as one JSON object on stdout.

A tiny DevTools-protocol client on the standard library alone (a WebSocket handshake and frames by
hand): it starts Chromium with a fresh profile and --remote-debugging-port=0, opens a blank page,
enables the Network, Log, Runtime and Page domains *before* navigating, loads the file, waits for
the load event, then evaluates EXPRESSION (JavaScript returning JSON-able data) in the page.

Reported: "requests" (every URL the page asked for, the file itself included), "console" (console
API calls and log entries: CSP violations, failed loads), "exceptions", "result" (EXPRESSION's
value) and "load_ms" (navigation to the load event).

usage: cdp_check.py CHROMIUM FILE EXPRESSION
"""
import base64, json, os, shutil, socket, struct, subprocess, sys, tempfile, time, urllib.request


class WebSocket:
    def __init__(self, url):
        assert url.startswith("ws://")
        hostport, path = url[5:].split("/", 1)
        host, port = hostport.split(":")
        self.sock = socket.create_connection((host, int(port)), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /{path} HTTP/1.1\r\nHost: {hostport}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        response = b""
        while b"\r\n\r\n" not in response:
            response += self.sock.recv(1)
        if b" 101 " not in response.split(b"\r\n")[0]:
            raise RuntimeError("WebSocket handshake refused: %r" % response)

    def send(self, text):
        data = text.encode()
        header = bytes([0x81])
        mask = os.urandom(4)
        if len(data) < 126:
            header += bytes([0x80 | len(data)])
        elif len(data) < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", len(data))
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", len(data))
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _exactly(self, count):
        data = b""
        while len(data) < count:
            chunk = self.sock.recv(count - len(data))
            if not chunk:
                raise RuntimeError("DevTools connection closed")
            data += chunk
        return data

    def receive(self):
        message = b""
        while True:
            first, second = self._exactly(2)
            length = second & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._exactly(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._exactly(8))[0]
            payload = self._exactly(length)
            opcode = first & 0x0F
            if opcode == 0x8:
                raise RuntimeError("DevTools connection closed")
            if opcode in (0x0, 0x1, 0x2):
                message += payload
                if first & 0x80:
                    return message.decode()


def main():
    chromium, path, expression = sys.argv[1], os.path.abspath(sys.argv[2]), sys.argv[3]
    profile = tempfile.mkdtemp(prefix="vigil-cdp-")
    process = subprocess.Popen([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
                                "--disable-component-update", "--disable-sync", "--metrics-recording-only",
                                "--host-resolver-rules=MAP * ~NOTFOUND", "--remote-debugging-port=0",
                                "--remote-debugging-address=127.0.0.1", f"--user-data-dir={profile}", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = os.path.join(profile, "DevToolsActivePort")
        deadline = time.time() + 60
        while not (os.path.exists(port_file) and open(port_file).read().count("\n") >= 1):
            if time.time() > deadline or process.poll() is not None:
                raise RuntimeError("Chromium did not open its DevTools port")
            time.sleep(0.05)
        port = int(open(port_file).read().split("\n")[0])
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30))
        page = next(t for t in targets if t.get("type") == "page")
        ws = WebSocket(page["webSocketDebuggerUrl"])
        counter = [0]
        events = []

        def call(method, params=None):
            counter[0] += 1
            ws.send(json.dumps({"id": counter[0], "method": method, "params": params or {}}))
            while True:
                message = json.loads(ws.receive())
                if message.get("id") == counter[0]:
                    if "error" in message:
                        raise RuntimeError(f"{method}: {message['error']}")
                    return message.get("result", {})
                events.append(message)

        for domain in ("Network", "Log", "Runtime", "Page"):
            call(domain + ".enable")
        started = time.time()
        call("Page.navigate", {"url": "file://" + path})
        while not any(e.get("method") == "Page.loadEventFired" for e in events):
            events.append(json.loads(ws.receive()))
        load_ms = int((time.time() - started) * 1000)
        # Late console messages and requests (a handler run after load) get a moment to arrive.
        ws.sock.settimeout(0.5)
        try:
            while True:
                events.append(json.loads(ws.receive()))
        except (socket.timeout, TimeoutError):
            pass
        ws.sock.settimeout(30)
        value = call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        requests, console, exceptions = [], [], []
        for event in events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Network.requestWillBeSent":
                requests.append(params["request"]["url"])
            elif method == "Runtime.consoleAPICalled":
                console.append(params.get("type", "") + ": " + " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
            elif method == "Log.entryAdded":
                entry = params.get("entry", {})
                console.append(entry.get("level", "") + ": " + entry.get("text", "") + " " + entry.get("url", ""))
            elif method == "Runtime.exceptionThrown":
                exceptions.append(json.dumps(params.get("exceptionDetails", {}))[:500])
        print(json.dumps({"requests": requests, "console": console, "exceptions": exceptions,
                          "result": value.get("result", {}).get("value"), "load_ms": load_ms}))
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
