/** A deterministic customers CSV for the load test and the bench: row i lives in one of 10 cities, every 7th is in Berlin. */
export const LOAD_CITIES = [
  'Berlin',
  'Paris',
  'Oslo',
  'Madrid',
  'Rome',
  'Vienna',
  'Prague',
  'Lisbon',
  'Dublin',
  'Warsaw',
];

export function customersCsv(rows: number, prefix = 'load'): string {
  const lines = ['Source_id,Name,Email,Birthdate,Address_City,Address_Country,Postal_Code,plan,signup_channel'];
  for (let i = 0; i < rows; i++) {
    const city = i % 7 === 0 ? 'Berlin' : LOAD_CITIES[1 + (i % 9)]!;
    const day = String(1 + (i % 28)).padStart(2, '0');
    lines.push(
      `${prefix}-${i},Customer ${i},${prefix}${i}@example.com,1990-01-${day},${city},Europe,${10000 + i},${i % 3 === 0 ? 'pro' : 'free'},web`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** How many of `rows` customersCsv rows are in Berlin. */
export const berlinRows = (rows: number): number => Math.ceil(rows / 7);
