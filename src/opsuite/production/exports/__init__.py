"""Export of batches to xlsx or CSV as a background job."""
