#!/usr/bin/env bash
# The server's floor for listing: ListObjectsV2 pages fetched unsigned with curl (moto allows it),
# following NextContinuationToken, with no parsing beyond finding the token.
# Usage: bare-list.sh ENDPOINT BUCKET PREFIX
set -euo pipefail
endpoint=$1 bucket=$2 prefix=$3
token=""
while :; do
  if [ -z "$token" ]; then
    page=$(curl -sfG "$endpoint/$bucket" --data-urlencode "list-type=2" --data-urlencode "prefix=$prefix")
  else
    page=$(curl -sfG "$endpoint/$bucket" --data-urlencode "list-type=2" --data-urlencode "prefix=$prefix" \
      --data-urlencode "continuation-token=$token")
  fi
  token=$(sed -n 's:.*<NextContinuationToken>\([^<]*\)</NextContinuationToken>.*:\1:p' <<<"$page")
  [ -n "$token" ] || break
done
