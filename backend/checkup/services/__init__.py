"""Use cases. Each takes its collaborators (HIS, PEIS, clock, cipher) explicitly."""
