# Elasticsearch 7.10.2 (the version the job's connector and the API's client speak) with the
# official Korean analysis plugin, which the page index's `nori` analyzer needs.
FROM docker.elastic.co/elasticsearch/elasticsearch-oss:7.10.2
RUN bin/elasticsearch-plugin install --batch analysis-nori
