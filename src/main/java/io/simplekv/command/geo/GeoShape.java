package io.simplekv.command.geo;

/**
 * A search area as Redis's GeoShape: a centre, and a radius (BYRADIUS, GEORADIUS) or a width and height (BYBOX), in
 * the unit whose size in meters is {@code conversion}.
 */
record GeoShape(double lon, double lat, boolean circle, double radius, double width, double height, double conversion) {
    private static final double D_R = Math.PI / 180.0;
    private static final double EARTH_RADIUS_IN_METERS = 6372797.560856;

    /** The distance from the centre that the scan must cover: the radius, or the half diagonal of the box. */
    double radiusMeters() {
        double r = circle ? radius : Math.sqrt((width / 2) * (width / 2) + (height / 2) * (height / 2));
        return r * conversion;
    }

    /** geohashBoundingBox: {minLon, minLat, maxLon, maxLat}. */
    double[] bounds() {
        double h = conversion * (circle ? radius : height / 2);
        double w = conversion * (circle ? radius : width / 2);
        double latDelta = h / EARTH_RADIUS_IN_METERS / D_R;
        double lonDeltaTop = w / EARTH_RADIUS_IN_METERS / Math.cos((lat + latDelta) * D_R) / D_R;
        double lonDeltaBottom = w / EARTH_RADIUS_IN_METERS / Math.cos((lat - latDelta) * D_R) / D_R;
        // The hemispheres' directions are opposite: the box's widest edge is the one nearer the equator.
        boolean south = lat < 0;
        return new double[] {south ? lon - lonDeltaBottom : lon - lonDeltaTop, lat - latDelta,
            south ? lon + lonDeltaBottom : lon + lonDeltaTop, lat + latDelta};
    }

    /** The distance to a point inside the shape (geoWithinShape), or -1 when the point is outside it. */
    double distanceIfWithin(double x, double y) {
        if (circle) {
            double d = GeoCommands.distance(lon, lat, x, y);
            return d > radius * conversion ? -1 : d;
        }
        // Latitude distance is the cheaper one, so it is checked first, as Redis does.
        if (EARTH_RADIUS_IN_METERS * Math.abs(lat * D_R - y * D_R) > height * conversion / 2) return -1;
        if (GeoCommands.distance(x, y, lon, y) > width * conversion / 2) return -1;
        return GeoCommands.distance(lon, lat, x, y);
    }
}
