"""From answers and chosen clauses to one document model: templating, markup, the documents,
costing and the drafting checks."""
