#!/usr/bin/env bash
# Prints the live lists the files under facts/ are written from, for a person to compare and copy (run by hand,
# never by tests; needs the cloud's CLI and credentials). Usage: scripts/refresh-facts.sh gcp|aws|azure|calendar
set -euo pipefail
case "${1:-}" in
  gcp)
    gcloud compute zones list --format='value(region.basename(),name)' | sort        # facts/gcp/regions.json
    gcloud compute machine-types list --filter='zone:europe-west1-b' --format='value(name,guestCpus,memoryMb)'  # facts/gcp/machines.json
    gcloud sql tiers list --format='value(tier,RAM)'                                   # facts/gcp/machines.json cloudSqlTiers
    ;;
  aws)
    node -r sucrase/register/ts scripts/facts/awsFromProvider.ts                       # facts/aws/provider-enums.json
    for region in $(aws ec2 describe-regions --query 'Regions[].RegionName' --output text); do
      aws ec2 describe-availability-zones --region "$region" --query 'AvailabilityZones[].ZoneName' --output text
    done                                                                               # facts/aws/zones-and-classes.json zones
    aws rds describe-orderable-db-instance-options --engine mysql --engine-version 8.0 \
      --query 'OrderableDBInstanceOptions[].DBInstanceClass' --output text | tr '\t' '\n' | sort -u   # rdsMysqlFamilies
    ;;
  azure)
    az account list-locations --query "[?metadata.regionType=='Physical'].{name:name, pair:metadata.pairedRegion[0].name, zones:length(availabilityZoneMappings || \`[]\`)}" -o table  # facts/azure/locations.json
    az vm list-sizes --location westeurope --query "[].{name:name, cores:numberOfCores, memoryMb:memoryInMB}" -o table  # facts/azure/sizes.json
    az mysql flexible-server list-skus --location westeurope -o json | head -200      # facts/azure/sizes.json mysqlSkus
    ;;
  calendar)
    aws eks describe-cluster-versions --query 'clusterVersions[].[clusterVersion,versionStatus,endOfStandardSupportDate,endOfExtendedSupportDate]' --output table
    az aks get-versions --location westeurope -o table
    gcloud container get-server-config --region europe-west1 --format='yaml(channels)'
    curl -fsS https://endoflife.date/api/v1/products/google-kubernetes-engine            # facts/calendar/kubernetes.json gke
    ;;
  *) echo "usage: $0 gcp|aws|azure|calendar" >&2; exit 2 ;;
esac
