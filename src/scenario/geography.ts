import { editDistance } from '../units/edit-distance.js';

/**
 * Where regions are, and what that makes their latency.
 *
 * A region may carry a `location`: the code of a cloud region below (its
 * metro area's coordinates) or `{ lat, lon }`. Between two located regions
 * the default one-way latency is half a round trip of RTT_MS_PER_KM times
 * their great-circle distance (at least MIN_RTT_MS), with the jitter shape
 * of the other WAN defaults: normal, a standard deviation of 10 % of the
 * mean, never under 80 % of it.
 *
 * The constant is a least-squares fit, through the origin, of 72 published
 * inter-region round trips to the distances between the regions' metros:
 * the rows of AWS's `af-south-1` and `ap-east-1` in the cloudping.co region
 * latency matrix (all 33 other commercial regions each; the sovereign
 * `eusc-de-east-1` left out), and six pairs from a public gist of EC2
 * pings between North American and European regions. 0.0192 ms per km is
 * light in fibre (about 200 km per ms) over a path 1.9 times the great
 * circle. Half the published figures are within 12.6 % of the fit, 90 %
 * within 35 %; submarine routes that detour (Cape Town to São Paulo via
 * Europe: 337 ms published, 129 ms fitted) are the misses. The test
 * (test/scenario/geography.test.ts) keeps the figures and refits them.
 * A pair that matters can be pinned with a `network.links` override.
 */
export const RTT_MS_PER_KM = 0.0192;
/** Two regions in one metro (AWS us-east-1 and GCP us-east4 are both in Ashburn) are still a round trip apart. */
export const MIN_RTT_MS = 1;

export interface Location { lat: number; lon: number }

/** Cloud regions by code, at their metro area (approximate, to a few tens of km: well under the fit's error). */
export const REGION_LOCATIONS: Readonly<Record<string, Location & { cloud: 'aws' | 'gcp' | 'azure'; metro: string }>> = {
  // AWS
  'us-east-1': { cloud: 'aws', metro: 'N. Virginia (Ashburn)', lat: 39.04, lon: -77.49 },
  'us-east-2': { cloud: 'aws', metro: 'Ohio (Columbus)', lat: 39.96, lon: -83.0 },
  'us-west-1': { cloud: 'aws', metro: 'N. California (San Jose)', lat: 37.34, lon: -121.89 },
  'us-west-2': { cloud: 'aws', metro: 'Oregon (Boardman)', lat: 45.84, lon: -119.7 },
  'ca-central-1': { cloud: 'aws', metro: 'Montreal', lat: 45.5, lon: -73.57 },
  'ca-west-1': { cloud: 'aws', metro: 'Calgary', lat: 51.05, lon: -114.07 },
  'mx-central-1': { cloud: 'aws', metro: 'Querétaro', lat: 20.59, lon: -100.39 },
  'sa-east-1': { cloud: 'aws', metro: 'São Paulo', lat: -23.55, lon: -46.63 },
  'eu-west-1': { cloud: 'aws', metro: 'Dublin', lat: 53.35, lon: -6.26 },
  'eu-west-2': { cloud: 'aws', metro: 'London', lat: 51.51, lon: -0.13 },
  'eu-west-3': { cloud: 'aws', metro: 'Paris', lat: 48.86, lon: 2.35 },
  'eu-central-1': { cloud: 'aws', metro: 'Frankfurt', lat: 50.11, lon: 8.68 },
  'eu-central-2': { cloud: 'aws', metro: 'Zurich', lat: 47.38, lon: 8.54 },
  'eu-north-1': { cloud: 'aws', metro: 'Stockholm', lat: 59.33, lon: 18.07 },
  'eu-south-1': { cloud: 'aws', metro: 'Milan', lat: 45.46, lon: 9.19 },
  'eu-south-2': { cloud: 'aws', metro: 'Aragón (Zaragoza)', lat: 41.65, lon: -0.88 },
  'il-central-1': { cloud: 'aws', metro: 'Tel Aviv', lat: 32.09, lon: 34.78 },
  'me-south-1': { cloud: 'aws', metro: 'Bahrain', lat: 26.07, lon: 50.55 },
  'me-central-1': { cloud: 'aws', metro: 'UAE (Dubai)', lat: 25.2, lon: 55.27 },
  'af-south-1': { cloud: 'aws', metro: 'Cape Town', lat: -33.92, lon: 18.42 },
  'ap-south-1': { cloud: 'aws', metro: 'Mumbai', lat: 19.08, lon: 72.88 },
  'ap-south-2': { cloud: 'aws', metro: 'Hyderabad', lat: 17.39, lon: 78.49 },
  'ap-east-1': { cloud: 'aws', metro: 'Hong Kong', lat: 22.32, lon: 114.17 },
  'ap-east-2': { cloud: 'aws', metro: 'Taipei', lat: 25.03, lon: 121.57 },
  'ap-northeast-1': { cloud: 'aws', metro: 'Tokyo', lat: 35.68, lon: 139.69 },
  'ap-northeast-2': { cloud: 'aws', metro: 'Seoul', lat: 37.57, lon: 126.98 },
  'ap-northeast-3': { cloud: 'aws', metro: 'Osaka', lat: 34.69, lon: 135.5 },
  'ap-southeast-1': { cloud: 'aws', metro: 'Singapore', lat: 1.35, lon: 103.82 },
  'ap-southeast-2': { cloud: 'aws', metro: 'Sydney', lat: -33.87, lon: 151.21 },
  'ap-southeast-3': { cloud: 'aws', metro: 'Jakarta', lat: -6.21, lon: 106.85 },
  'ap-southeast-4': { cloud: 'aws', metro: 'Melbourne', lat: -37.81, lon: 144.96 },
  'ap-southeast-5': { cloud: 'aws', metro: 'Kuala Lumpur', lat: 3.14, lon: 101.69 },
  'ap-southeast-6': { cloud: 'aws', metro: 'Auckland', lat: -36.85, lon: 174.76 },
  'ap-southeast-7': { cloud: 'aws', metro: 'Bangkok', lat: 13.76, lon: 100.5 },
  // Google Cloud
  'us-central1': { cloud: 'gcp', metro: 'Iowa (Council Bluffs)', lat: 41.26, lon: -95.86 },
  'us-east1': { cloud: 'gcp', metro: 'South Carolina (Moncks Corner)', lat: 33.2, lon: -80.01 },
  'us-east4': { cloud: 'gcp', metro: 'N. Virginia (Ashburn)', lat: 39.04, lon: -77.49 },
  'us-west1': { cloud: 'gcp', metro: 'Oregon (The Dalles)', lat: 45.6, lon: -121.18 },
  'us-west2': { cloud: 'gcp', metro: 'Los Angeles', lat: 34.05, lon: -118.24 },
  'northamerica-northeast1': { cloud: 'gcp', metro: 'Montreal', lat: 45.5, lon: -73.57 },
  'southamerica-east1': { cloud: 'gcp', metro: 'São Paulo', lat: -23.55, lon: -46.63 },
  'europe-west1': { cloud: 'gcp', metro: 'Belgium (St. Ghislain)', lat: 50.45, lon: 3.82 },
  'europe-west2': { cloud: 'gcp', metro: 'London', lat: 51.51, lon: -0.13 },
  'europe-west3': { cloud: 'gcp', metro: 'Frankfurt', lat: 50.11, lon: 8.68 },
  'europe-west4': { cloud: 'gcp', metro: 'Netherlands (Eemshaven)', lat: 53.44, lon: 6.83 },
  'europe-north1': { cloud: 'gcp', metro: 'Finland (Hamina)', lat: 60.57, lon: 27.2 },
  'asia-south1': { cloud: 'gcp', metro: 'Mumbai', lat: 19.08, lon: 72.88 },
  'asia-southeast1': { cloud: 'gcp', metro: 'Singapore', lat: 1.34, lon: 103.71 },
  'asia-east1': { cloud: 'gcp', metro: 'Taiwan (Changhua)', lat: 24.08, lon: 120.54 },
  'asia-northeast1': { cloud: 'gcp', metro: 'Tokyo', lat: 35.68, lon: 139.69 },
  'australia-southeast1': { cloud: 'gcp', metro: 'Sydney', lat: -33.87, lon: 151.21 },
  // Azure
  eastus: { cloud: 'azure', metro: 'Virginia (Boydton)', lat: 36.67, lon: -78.39 },
  eastus2: { cloud: 'azure', metro: 'Virginia (Boydton)', lat: 36.67, lon: -78.39 },
  centralus: { cloud: 'azure', metro: 'Iowa (Des Moines)', lat: 41.59, lon: -93.62 },
  southcentralus: { cloud: 'azure', metro: 'Texas (San Antonio)', lat: 29.42, lon: -98.49 },
  westus: { cloud: 'azure', metro: 'California (San Francisco)', lat: 37.78, lon: -122.42 },
  westus2: { cloud: 'azure', metro: 'Washington (Quincy)', lat: 47.23, lon: -119.85 },
  canadacentral: { cloud: 'azure', metro: 'Toronto', lat: 43.65, lon: -79.38 },
  brazilsouth: { cloud: 'azure', metro: 'São Paulo', lat: -23.55, lon: -46.63 },
  northeurope: { cloud: 'azure', metro: 'Dublin', lat: 53.35, lon: -6.26 },
  westeurope: { cloud: 'azure', metro: 'Amsterdam', lat: 52.37, lon: 4.9 },
  uksouth: { cloud: 'azure', metro: 'London', lat: 51.51, lon: -0.13 },
  francecentral: { cloud: 'azure', metro: 'Paris', lat: 48.86, lon: 2.35 },
  germanywestcentral: { cloud: 'azure', metro: 'Frankfurt', lat: 50.11, lon: 8.68 },
  swedencentral: { cloud: 'azure', metro: 'Gävle', lat: 60.67, lon: 17.14 },
  centralindia: { cloud: 'azure', metro: 'Pune', lat: 18.52, lon: 73.86 },
  southeastasia: { cloud: 'azure', metro: 'Singapore', lat: 1.35, lon: 103.82 },
  eastasia: { cloud: 'azure', metro: 'Hong Kong', lat: 22.32, lon: 114.17 },
  japaneast: { cloud: 'azure', metro: 'Tokyo', lat: 35.68, lon: 139.69 },
  australiaeast: { cloud: 'azure', metro: 'New South Wales (Sydney)', lat: -33.87, lon: 151.21 },
};

/** Mean Earth radius, km (IUGG). */
const EARTH_KM = 6371.0088;

/** Great-circle distance, km (haversine). */
export function greatCircleKm(a: Location, b: Location): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The round trip the fit gives between two locations, ms. */
export function fittedRttMs(a: Location, b: Location): number {
  return Math.max(MIN_RTT_MS, RTT_MS_PER_KM * greatCircleKm(a, b));
}

/** The default one-way latency between two located regions, in microseconds, as a latency setting (a normal one). */
export function geographicLatency(a: Location, b: Location): { dist: 'normal'; mean: number; stddev: number; floor: number } {
  const mean = Math.round((fittedRttMs(a, b) / 2) * 1000);
  return { dist: 'normal', mean, stddev: Math.round(mean / 10), floor: Math.round(mean * 0.8) };
}

/** A location as written: a region code from the catalog, or coordinates. */
export function locate(written: string | Location): Location {
  return typeof written === 'string' ? REGION_LOCATIONS[written]! : written;
}

/** For an unknown code: the nearest known codes by edit distance, or where the list is. */
export function suggestLocation(code: string): string {
  const ranked = Object.keys(REGION_LOCATIONS)
    .map((known) => ({ known, d: editDistance(code.toLowerCase(), known) }))
    .sort((x, y) => x.d - y.d || (x.known < y.known ? -1 : 1));
  const close = ranked.filter((r) => r.d <= Math.max(2, Math.floor(code.length / 3))).slice(0, 3).map((r) => r.known);
  const list = 'docs/scenarios.md, Geography, lists them; or give { lat, lon }';
  return close.length ? `did you mean ${close.join(', ')}? (${list})` : `${list}`;
}
