"""FastAPI peer of bench/online-peers: VADER behind `POST /v2/models/sentiment/infer` (KServe V2).

Run by the bench under uvicorn with 2 worker processes, uvloop and httptools:
`uvicorn fastapi_app:app --host 127.0.0.1 --port PORT --workers 2 --no-access-log`.
The request is validated by pydantic models, as FastAPI services usually are (422 when it does
not fit them). `GET /v2/health/ready` answers 200.
"""
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

import vader_v2

app = FastAPI()


class Tensor(BaseModel):
    name: str
    datatype: str
    shape: list[int]
    data: list[str]


class InferRequest(BaseModel):
    id: str = ""
    inputs: list[Tensor]


@app.post("/v2/models/sentiment/infer")
async def infer(request: InferRequest):
    try:
        return vader_v2.infer(request.model_dump())
    except vader_v2.BadRequest as error:
        raise HTTPException(status_code=400, detail=str(error))


@app.get("/v2/health/ready")
async def ready():
    return {}
