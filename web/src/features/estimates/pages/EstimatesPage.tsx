export default function EstimatesPage() {
  return null;
}
