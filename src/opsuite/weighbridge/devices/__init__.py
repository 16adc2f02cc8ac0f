"""The weighbridge's hardware: weight indicator, Modbus I/O module and cameras, with fakes and simulators."""
