"""API answers that several apps give: the problems of an uploaded file's rows, and a background
job's progress (core.jobs)."""

from datetime import datetime

from ninja import Field, Schema


class RowErrorOut(Schema):
    row: int
    field: str
    message: str


class JobOut(Schema):
    id: int
    status: str
    total: int
    done: int
    progress: int
    message: str
    created_at: datetime
    finished_at: datetime | None
    details_purged_at: datetime | None = Field(
        None,
        description="When the job's details (row problems, failure reason) were deleted, at the end of their retention",
    )


def job_out(job) -> dict:
    return {
        "id": job.pk,
        "status": job.status,
        "total": job.total,
        "done": job.done_now,
        "progress": job.progress,
        "message": job.message,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "details_purged_at": job.details_purged_at,
    }
