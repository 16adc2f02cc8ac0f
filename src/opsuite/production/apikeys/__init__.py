"""API keys: who may call the production API once an operator has created one."""
