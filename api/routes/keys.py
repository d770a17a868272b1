"""``/v1/keys``: API keys, for keys with role ``admin`` (``logistics keys`` does the
same from the command line)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.auth import ApiKey
from api.context import AdminKey, Context
from api.models import ApiKeyInfo, CreatedKey, KeyId, KeyRequest
from api.problems import ApiProblem, created_responses, problem_responses
from api.routes import API_PREFIX

router = APIRouter(prefix="/keys", tags=["keys"])


def key_info(key: ApiKey) -> ApiKeyInfo:
    return ApiKeyInfo(id=key.id, name=key.name, role=key.role, created_at=key.created_at,
                      revoked_at=key.revoked_at)


@router.get("", responses=problem_responses(401, 403, 429))
def keys(state: Context, _: AdminKey) -> list[ApiKeyInfo]:
    """Every key, revoked ones included (never a secret)."""
    return [key_info(key) for key in state.keys.all()]


@router.post("", status_code=201, responses={**created_responses(201, "the key's URL"),
                                            **problem_responses(400, 401, 403, 413, 422,
                                                                429)})
def create_key(request: KeyRequest, state: Context, _: AdminKey,
               response: Response) -> CreatedKey:
    """A new key; its secret is in this answer only."""
    key, secret = state.keys.create(request.name, request.role)
    response.headers["Location"] = f"{API_PREFIX}{router.prefix}/{key.id}"
    return CreatedKey(**key_info(key).model_dump(), secret=secret)


@router.get("/{key_id}", responses=problem_responses(401, 403, 404, 422, 429))
def get_key(key_id: KeyId, state: Context, _: AdminKey) -> ApiKeyInfo:
    key = state.keys.get(key_id)
    if key is None:
        raise ApiProblem(404, f"no key {key_id}")
    return key_info(key)


@router.delete("/{key_id}", status_code=204,
               responses=problem_responses(401, 403, 404, 409, 422, 429))
def revoke_key(key_id: KeyId, state: Context, _: AdminKey) -> Response:
    """Revoke a key: it is refused from now on."""
    if state.keys.get(key_id) is None:
        raise ApiProblem(404, f"no key {key_id}")
    if not state.keys.revoke(key_id):
        raise ApiProblem(409, f"key {key_id} was revoked already")
    return Response(status_code=204)
