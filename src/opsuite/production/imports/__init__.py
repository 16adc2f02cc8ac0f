"""Import of batches from xlsx or CSV as a background job."""
