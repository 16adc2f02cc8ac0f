"""The hardware routes: status, gates, the current weight, camera snapshots, and the status feed."""
