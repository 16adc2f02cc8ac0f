"""Outgoing e-mail: reports sent by a job after the request, with the file attached."""
