"""The ceiling for item 5: a bare FastAPI endpoint that accepts the push body and answers a constant,
served by uvicorn with the same settings as `python -m server serve`.

    python -m tests.bench.bare PORT
"""

from __future__ import annotations

import json
import sys

import uvicorn
from fastapi import FastAPI, Request

app = FastAPI(docs_url=None, redoc_url=None)
CONSTANT = {"results": []}


@app.post("/api/v1/sync/push")
async def push(request: Request):
    json.loads(await request.body())  # the same JSON work as the server's first step
    return CONSTANT


@app.get("/api/v1/health")
async def health():
    return {"status": "ok"}


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), proxy_headers=False, log_level="warning",
                access_log=False)
