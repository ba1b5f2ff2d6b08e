"""POST /api/v1/devices: an operator registers a device to their desa."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, HTTPException

from domain import regions
from server.deps import OperatorUser, SessionDep, now
from server.models import Device
from sync.protocol import DeviceRegisterRequest, DeviceRegisterResponse

router = APIRouter(prefix="/devices", tags=["devices"])


@router.post("", response_model=DeviceRegisterResponse,
             responses={403: {"description": "Desa lain"}, 422: {"description": "Kode desa tidak dikenal"}})
def register_device(body: DeviceRegisterRequest, user: OperatorUser, session: SessionDep) -> DeviceRegisterResponse:
    desa = regions.digits_of(body.desa_code)
    if not regions.is_desa(desa):
        raise HTTPException(422, f"Kode desa {body.desa_code} tidak ada di daftar desa/kelurahan Kemendagri.")
    if desa != user.area_code:
        raise HTTPException(403, f"Akun ini hanya untuk desa {regions.dotted(user.area_code)}; "
                                 f"perangkat tidak bisa didaftarkan ke {regions.dotted(desa)}.")
    device = Device(device_id=str(uuid.uuid4()), user_id=user.id or 0, desa_code=desa, label=body.label,
                    created_at=now())
    session.add(device)
    session.commit()
    return DeviceRegisterResponse(device_id=device.device_id, desa_code=desa)
