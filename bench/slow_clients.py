#!/usr/bin/env python3
"""Slow clients against `fundtrace serve` (bench/RESULTS.md, "Slow clients").

  bench/slow_clients.py PORT N GAP HOLD [API_KEY]

Opens N connections that each send half an HTTP request (`GET /v1/status`, `Host` and a
4,000-byte header) one byte every GAP seconds, under the server's 5 s read timeout so that it
never drops them. After 2 s, times one normal `GET /v1/status` with a client timeout of HOLD
seconds while they still hold their connections, prints the outcome and exits (closing them).
"""
import socket
import sys
import threading
import time
import urllib.request


def main():
    port, n, gap, hold = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
    key = sys.argv[5] if len(sys.argv) > 5 else ''
    stop = threading.Event()
    opened = []

    def slow(i):
        try:
            s = socket.create_connection(('127.0.0.1', port))
        except OSError:
            return
        opened.append(i)
        req = 'GET /v1/status?n=%d HTTP/1.1\r\nHost: x\r\nX-Pad: ' % i + 'p' * 4000
        for c in req:
            if stop.is_set():
                break
            try:
                s.send(c.encode())
            except OSError:
                break
            stop.wait(gap)
        s.close()

    threads = [threading.Thread(target=slow, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    time.sleep(2.0)
    t0 = time.time()
    url = 'http://127.0.0.1:%d/v1/status?api_key=%s' % (port, key)
    try:
        r = urllib.request.urlopen(url, timeout=hold)
        print('normal request: HTTP %d in %.3f s with %d slow connections open'
              % (r.status, time.time() - t0, len(opened)))
    except Exception as e:  # the point is to report it
        print('normal request: FAILED after %.3f s (%s) with %d slow connections open'
              % (time.time() - t0, e, len(opened)))
    stop.set()


if __name__ == '__main__':
    main()
