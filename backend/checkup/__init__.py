"""体检预约缴费: checkup booking and payment backend."""

__version__ = "0.1.0"
