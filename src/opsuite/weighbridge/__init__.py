"""Truck weighbridge: two-pass weighing with a serial indicator, Modbus gates and sensors, and IP cameras."""
