from django.core.exceptions import ValidationError


def validation_error_payload(exc: ValidationError) -> dict:
    """`{"detail": [{"loc": [...], "msg": ...}]}` like ninja's own 422, one entry per field error."""
    if hasattr(exc, "error_dict"):
        errors = [
            {
                "loc": ["body", field] if field != "__all__" else ["body"],
                "msg": message,
                "type": "value_error",
            }
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"loc": ["body"], "msg": message, "type": "value_error"} for message in exc.messages]
    return {"detail": errors}
