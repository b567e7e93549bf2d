"""What every stage stands on: the typed data passed from stage to stage
(`model`, and `jobs` for the documents to write), writing files atomically and
reproducibly (`files`), and the process pool that gives results in input order
(`parallel`).

Layer 1: imports only `pipeline.vn`."""
