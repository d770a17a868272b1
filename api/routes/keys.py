"""``/v1/keys``: API keys, for keys with role ``admin`` (``logistics keys`` does the
same from the command line)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.auth import ApiKey
from api.context import AdminKey, ApiContext, Context, actor_of
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
def create_key(request: KeyRequest, state: Context, admin: AdminKey,
               response: Response) -> CreatedKey:
    """A new key; its secret is in this answer only."""
    key, secret = state.keys.create(request.name, request.role, actor_of(admin))
    response.headers["Location"] = f"{API_PREFIX}{router.prefix}/{key.id}"
    return CreatedKey(**key_info(key).model_dump(), secret=secret)


def active_key(state: ApiContext, key_id: int) -> ApiKey:
    """A key not revoked; 404 when there is none or it was revoked (the listing still
    shows revoked keys)."""
    key = state.keys.get(key_id)
    if key is None:
        raise ApiProblem(404, f"no key {key_id}")
    if key.revoked_at is not None:
        raise ApiProblem(404, f"key {key_id} was revoked at {key.revoked_at:%Y-%m-%d %H:%M} "
                              "UTC; the key listing still shows it")
    return key


@router.get("/{key_id:int}", responses=problem_responses(401, 403, 404, 422, 429))
def get_key(key_id: KeyId, state: Context, _: AdminKey) -> ApiKeyInfo:
    """A key that is not revoked."""
    return key_info(active_key(state, key_id))


@router.delete("/{key_id:int}", status_code=204,
               responses=problem_responses(401, 403, 404, 409, 422, 429))
def revoke_key(key_id: KeyId, state: Context, key: AdminKey) -> Response:
    """Revoke a key: it is refused from now on. A key cannot revoke itself (409), so an
    administrator always keeps the key they act with; another admin key, or ``logistics
    keys revoke``, revokes it."""
    active_key(state, key_id)
    if key_id == key.id:
        raise ApiProblem(409, f"key {key_id} is the key of this request; a key cannot "
                              "revoke itself")
    if not state.keys.revoke(key_id, actor_of(key)):
        active_key(state, key_id)  # revoked by a request running at the same time
    return Response(status_code=204)
