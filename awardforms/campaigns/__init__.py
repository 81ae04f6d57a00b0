"""Campaign definitions: `data/campaigns/<id>/campaign.toml` loaded into typed objects.

Owns: the model (model.py), the names of field and rule types a definition may use
(schema.py), loading and checking a definition, quota tables (load.py).
May import: the foundation modules (errors, textnorm). Nothing of the pipeline.
"""
